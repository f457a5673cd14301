package atoll.socket;

import atoll.testkit.contract.StackUnderTest;
import atoll.testkit.contract.UdpContractTest;

/** The UDP contract on the socket target. */
class SocketUdpContractTest extends UdpContractTest {
    @Override
    protected StackUnderTest boot() throws Exception {
        return new SocketStack();
    }
}
