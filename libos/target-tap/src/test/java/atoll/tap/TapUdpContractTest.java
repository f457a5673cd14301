package atoll.tap;

import atoll.testkit.contract.StackUnderTest;
import atoll.testkit.contract.UdpContractTest;
import java.net.StandardProtocolFamily;
import java.util.stream.Stream;

/** The UDP contract on the tap target, the kernel's sockets as peers (IPv4: the stack has no IPv6). */
class TapUdpContractTest extends UdpContractTest {
    @Override
    protected StackUnderTest boot() throws Exception {
        return new TapStack();
    }

    @Override
    protected Stream<StandardProtocolFamily> families() {
        return Stream.of(StandardProtocolFamily.INET);
    }
}
