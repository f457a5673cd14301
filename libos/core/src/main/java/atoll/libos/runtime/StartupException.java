package atoll.libos.runtime;

/**
 * Start-up failed because of the operator's configuration or data. The message is one line that
 * names what is wrong and where (a config key and value, or file:line), shown as is; the process
 * exits with status 64 (EX_USAGE).
 */
public class StartupException extends Exception {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
