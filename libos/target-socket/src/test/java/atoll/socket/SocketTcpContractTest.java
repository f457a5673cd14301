package atoll.socket;

import atoll.testkit.contract.StackUnderTest;
import atoll.testkit.contract.TcpContractTest;

/** The TCP contract on the socket target. */
class SocketTcpContractTest extends TcpContractTest {
    @Override
    protected StackUnderTest boot() throws Exception {
        return new SocketStack();
    }
}
