package atoll.libos.runtime;

/**
 * What {@link Appliance#reload()} did. The launcher logs each as one line; in every case the
 * appliance goes on serving.
 */
public sealed interface ReloadOutcome {

    /** The new data is in service. */
    record Reloaded(String summary) implements ReloadOutcome {}

    /** The new data was refused; the appliance keeps serving what it had. */
    record Failed(String problem) implements ReloadOutcome {}

    /** The appliance has nothing to reload (the default). */
    record Unsupported() implements ReloadOutcome {}
}
