package atoll.tap;

import atoll.testkit.contract.StackUnderTest;
import atoll.testkit.contract.TcpContractTest;
import java.net.StandardProtocolFamily;
import java.util.stream.Stream;

/** The TCP contract on the tap target, the kernel's sockets as peers (IPv4: the stack has no IPv6). */
class TapTcpContractTest extends TcpContractTest {
    @Override
    protected StackUnderTest boot() throws Exception {
        return new TapStack();
    }

    @Override
    protected Stream<StandardProtocolFamily> families() {
        return Stream.of(StandardProtocolFamily.INET);
    }
}
