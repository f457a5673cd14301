package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.testkit.contract.StackUnderTest;
import atoll.testkit.contract.UdpContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The UDP contract on the socket target's java.nio path ({@code socket.batch=off}). */
class SocketUdpNioContractTest extends UdpContractTest {
    @Override
    protected StackUnderTest boot() throws Exception {
        return new SocketStack(Map.of("socket.batch", "off"));
    }

    @Test
    void batchOffMeansJavaNio() throws Exception {
        try (SocketStack s = new SocketStack(Map.of("socket.batch", "off"))) {
            assertEquals(0, s.metric("socket.udp.batch").orElseThrow());
        }
    }
}
