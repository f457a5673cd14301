package atoll.libos.net;

import atoll.libos.metrics.Metrics;

/**
 * The counters every target keeps when its stream-flow defences bite ({@link StreamLimits},
 * {@link FlowDeadlines}, per-flow buffer shares), under the same metric names on every target.
 */
public final class StreamFlowCounters {
    private final Metrics.Counter refusedTotal;
    private final Metrics.Counter refusedPrefix;
    private final Metrics.Counter evictedIdle;
    private final Metrics.Counter timeoutIdle;
    private final Metrics.Counter timeoutUnit;
    private final Metrics.Counter timeoutWrite;
    private final Metrics.Counter bufferCap;
    private final Metrics.Counter bufferExhausted;

    public StreamFlowCounters(Metrics metrics) {
        refusedTotal = metrics.counter(StreamLimits.METRIC_REFUSED_TOTAL);
        refusedPrefix = metrics.counter(StreamLimits.METRIC_REFUSED_PREFIX);
        evictedIdle = metrics.counter(StreamLimits.METRIC_EVICTED_IDLE);
        timeoutIdle = metrics.counter(StreamLimits.METRIC_TIMEOUT_PREFIX + "idle");
        timeoutUnit = metrics.counter(StreamLimits.METRIC_TIMEOUT_PREFIX + "unit");
        timeoutWrite = metrics.counter(StreamLimits.METRIC_TIMEOUT_PREFIX + "write");
        bufferCap = metrics.counter(StreamLimits.METRIC_BUFFER_CAP);
        bufferExhausted = metrics.counter(StreamLimits.METRIC_BUFFER_EXHAUSTED);
    }

    /** Whether {@code outcome} admits the flow; a refusal is counted under its reason. */
    public boolean admitted(FlowAdmission.Outcome outcome) {
        switch (outcome) {
            case ADMITTED -> {
                return true;
            }
            case OVER_TOTAL -> refusedTotal.increment();
            case OVER_PREFIX -> refusedPrefix.increment();
        }
        return false;
    }

    /** An idle flow was closed to make room for a new one. */
    public void evictedIdle() {
        evictedIdle.increment();
    }

    /** A flow missed one of its deadlines. */
    public void timedOut(FlowTimeoutException.Deadline which) {
        switch (which) {
            case IDLE -> timeoutIdle.increment();
            case UNIT -> timeoutUnit.increment();
            case WRITE -> timeoutWrite.increment();
        }
    }

    /** A flow was refused a buffer: the stream pool was empty, or the flow held its whole share. */
    public void bufferRefused(boolean poolEmpty) {
        (poolEmpty ? bufferExhausted : bufferCap).increment();
    }
}
