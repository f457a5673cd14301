package atoll.libos.time;

/** A scheduled task. */
public interface Timer {

    /** Cancels the task if it has not run yet; returns whether it was cancelled by this call. */
    boolean cancel();
}
