package atoll.libos.log;

import java.lang.System.Logger.Level;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@link System.LoggerFinder} every Atoll image uses (registered in {@code module-info}), so
 * that {@link System#getLogger(String)} writes one compact line per record to standard error
 * without pulling in {@code java.logging}. Line format and level: {@link AtollLog}.
 */
public final class CompactLoggerFinder extends System.LoggerFinder {
    private final ConcurrentHashMap<String, System.Logger> loggers = new ConcurrentHashMap<>();

    @Override
    public System.Logger getLogger(String name, Module module) {
        return loggers.computeIfAbsent(name, CompactLogger::new);
    }

    private record CompactLogger(String name) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return AtollLog.isEnabled(level);
        }

        @Override
        public void log(Level level, String msg) {
            if (isLoggable(level)) {
                AtollLog.write(name, level, msg, null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            if (isLoggable(level)) {
                AtollLog.write(name, level, msgSupplier.get(), null);
            }
        }

        @Override
        public void log(Level level, Object obj) {
            if (isLoggable(level)) {
                AtollLog.write(name, level, String.valueOf(obj), null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier, Throwable thrown) {
            if (isLoggable(level)) {
                AtollLog.write(name, level, msgSupplier.get(), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                AtollLog.write(name, level, localize(bundle, msg), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                AtollLog.write(name, level, AtollLog.format(localize(bundle, format), params), null);
            }
        }

        private static String localize(ResourceBundle bundle, String key) {
            if (bundle == null || key == null) {
                return key;
            }
            try {
                return bundle.getString(key);
            } catch (RuntimeException missing) {
                return key;
            }
        }
    }
}
