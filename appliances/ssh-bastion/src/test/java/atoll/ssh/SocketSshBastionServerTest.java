package atoll.ssh;

import atoll.libos.runtime.TargetProvider;
import atoll.testkit.Targets;

/** {@link SshBastionServerTest} on the socket target. */
class SocketSshBastionServerTest extends SshBastionServerTest {
    @Override
    protected TargetProvider target() {
        return Targets.named("socket");
    }
}
