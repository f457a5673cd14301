package atoll.testkit;

import atoll.libos.runtime.TargetProvider;
import java.util.List;
import java.util.ServiceLoader;

/** Finds a target by name among those on the test's class or module path. */
public final class Targets {
    private Targets() {}

    /**
     * The target called {@code name} ("socket", "tap", ...), as the launcher would boot it.
     *
     * @throws AssertionError naming the targets present when none is called so
     */
    public static TargetProvider named(String name) {
        List<TargetProvider> all = ServiceLoader.load(TargetProvider.class).stream().map(ServiceLoader.Provider::get)
                .toList();
        return all.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                "no target '" + name + "' among " + all.stream().map(TargetProvider::name).toList()
                        + ": add its module as a test dependency"));
    }
}
