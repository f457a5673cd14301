package atoll.libos.runtime;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Catches POSIX signals with {@code sun.misc.Signal} (module jdk.unsupported: the only JDK API for
 * it) for as long as it is open, then puts the previous handlers back. Kept in one small class so
 * that the dependency on the unsupported API stays in one place.
 */
final class SignalTrap implements AutoCloseable {
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private SignalTrap() {}

    /**
     * Installs {@code onSignal} for each signal name ({@code TERM}, {@code HUP}, ...); it runs on a
     * thread the JVM starts for each signal, given the name. A signal that cannot be caught here
     * (the JVM runs with {@code -Xrs}, or the platform lacks it) keeps its default action.
     */
    static SignalTrap install(List<String> names, Consumer<String> onSignal, Logger log) {
        SignalTrap trap = new SignalTrap();
        SignalHandler handler = s -> onSignal.accept(s.getName());
        for (String name : names) {
            try {
                Signal signal = new Signal(name);
                trap.previous.put(signal, Signal.handle(signal, handler));
            } catch (IllegalArgumentException unavailable) {
                log.log(Level.DEBUG, "cannot handle SIG" + name + ": " + unavailable.getMessage());
            }
        }
        return trap;
    }

    @Override
    public void close() {
        previous.forEach((signal, old) -> {
            try {
                Signal.handle(signal, old);
            } catch (IllegalArgumentException ignored) {
                // nothing to restore
            }
        });
    }
}
