package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.testkit.contract.StackUnderTest;
import atoll.testkit.contract.UdpContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The UDP contract on the socket target's default path: on Linux, batched recvmmsg/sendmmsg
 * through the FFM API ({@code socket.batch} 32). {@link SocketUdpNioContractTest} runs it on the
 * java.nio path.
 */
class SocketUdpContractTest extends UdpContractTest {
    @Override
    protected StackUnderTest boot() throws Exception {
        return new SocketStack();
    }

    /** Guards the subclass's point: the contract above ran on the batched path, not on java.nio. */
    @Test
    void theDefaultPathOnLinuxIsBatched() throws Exception {
        try (SocketStack s = new SocketStack(Map.of())) {
            assertEquals(SocketTargetProvider.DEFAULT_BATCH, s.metric("socket.udp.batch").orElseThrow(),
                    "batched UDP not in use: " + atoll.linux.NativeAccess.unavailableReason());
        }
    }
}
