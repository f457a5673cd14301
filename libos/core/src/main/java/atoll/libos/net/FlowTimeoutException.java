package atoll.libos.net;

import java.io.IOException;

/**
 * A {@link TcpFlow} missed one of its {@link FlowDeadlines}; the flow has been closed (every later
 * read or write fails).
 */
public final class FlowTimeoutException extends IOException {

    /** Which deadline passed. */
    public enum Deadline {
        /** No unit began within the idle deadline. */
        IDLE,
        /** A unit did not complete within the unit deadline from its first octet. */
        UNIT,
        /** The peer did not take written data within the write deadline. */
        WRITE
    }

    private final Deadline deadline;

    public FlowTimeoutException(Deadline deadline, String message) {
        super(message);
        this.deadline = java.util.Objects.requireNonNull(deadline, "deadline");
    }

    public Deadline deadline() {
        return deadline;
    }
}
