package atoll.dns;

import atoll.libos.runtime.TargetProvider;
import atoll.testkit.Targets;

/** {@link ZoneDataTest} on the socket target, answering on loopback. */
class SocketZoneDataTest extends ZoneDataTest {
    @Override
    protected TargetProvider target() {
        return Targets.named("socket");
    }

    @Override
    protected String listen() {
        return "127.0.0.1";
    }
}
