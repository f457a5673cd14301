package atoll.libos.runtime;

import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An appliance that records what the launcher does to it. */
final class FakeAppliance implements Appliance {
    static final ConfigKey<Integer> PORT = ConfigKey.of("port", ValueTypes.port(), 53, "port to answer on");
    static final ConfigKey<String> GREETING = ConfigKey.of("greeting", ValueTypes.string(), "hi", "what to say");
    static final ConfigKey<Boolean> VERBOSE = ConfigKey.of("verbose", ValueTypes.bool(), false, "say more");

    Exception startFailure;
    Devices devices;
    final List<String> events = new ArrayList<>();
    Duration stopGrace;
    /** What {@link #reload} returns; null for the interface's default. */
    ReloadOutcome reloadOutcome;
    Exception reloadFailure;

    @Override
    public String name() {
        return "test-app";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(PORT, GREETING, VERBOSE);
    }

    @Override
    public void start(Devices devices) throws Exception {
        events.add("start");
        if (startFailure != null) {
            throw startFailure;
        }
        this.devices = devices;
        devices.metrics().counter("test.started").increment();
    }

    @Override
    public ReloadOutcome reload() throws Exception {
        events.add("reload");
        if (reloadFailure != null) {
            throw reloadFailure;
        }
        return reloadOutcome == null ? Appliance.super.reload() : reloadOutcome;
    }

    @Override
    public void stop(Duration grace) {
        events.add("stop");
        stopGrace = grace;
    }
}
