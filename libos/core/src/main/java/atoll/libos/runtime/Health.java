package atoll.libos.runtime;

/** Whether a booted target still works; what a supervisor's liveness check should look at. */
public sealed interface Health {

    /** Everything the target runs is working. */
    Health SERVING = new Serving();

    /** Everything the target runs is working. */
    record Serving() implements Health {}

    /**
     * Part of the target failed (its event loop hit an {@link Error}, say). The target may go on
     * serving what it still can, but the process is not trustworthy any more: a supervisor should
     * restart it. Once failed, a target stays failed.
     *
     * @param reason one line: what failed and why
     */
    record Failed(String reason) implements Health {}
}
