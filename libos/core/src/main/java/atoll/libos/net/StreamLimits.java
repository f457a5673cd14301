package atoll.libos.net;

import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import java.util.List;

/**
 * Limits every target puts on accepted stream (TCP) flows, whatever the appliance: how many may be
 * open in all and from one source prefix, the listen backlog, and how many stream buffers one
 * flow may hold. A target lists {@link #KEYS} among its configuration keys (so {@code --help}
 * shows them) and counts under the metric names below when a limit bites.
 *
 * @param maxFlows flows open at once, all listeners together
 * @param maxFlowsPerPrefix flows open at once from one IPv4 /24 or IPv6 /56
 * @param backlog connections the kernel (or the stack) may queue before they are accepted
 * @param flowBuffers stream buffers one flow may hold at once
 */
public record StreamLimits(int maxFlows, int maxFlowsPerPrefix, int backlog, int flowBuffers) {

    public static final ConfigKey<Integer> MAX_FLOWS = ConfigKey.of("tcp.max-flows", ValueTypes.integer(1, 1 << 20), 512,
            "most TCP connections open at once; past it a new one replaces the longest-idle one, or is refused");
    public static final ConfigKey<Integer> MAX_FLOWS_PER_PREFIX = ConfigKey.of("tcp.max-flows-per-prefix",
            ValueTypes.integer(1, 1 << 20), 64,
            "most TCP connections open at once from one IPv4 /24 or IPv6 /56; past it new ones are refused");
    public static final ConfigKey<Integer> BACKLOG = ConfigKey.of("tcp.backlog", ValueTypes.integer(1, 65_535), 1024,
            "connections queued for accept (the host may cap it, e.g. Linux net.core.somaxconn)");
    public static final ConfigKey<Integer> FLOW_BUFFERS = ConfigKey.of("tcp.flow-buffers", ValueTypes.integer(1, 64), 4,
            "most stream buffers one TCP connection may hold; a handler asking for more has its connection closed");

    /** Every key, in --help order. */
    public static final List<ConfigKey<?>> KEYS = List.of(MAX_FLOWS, MAX_FLOWS_PER_PREFIX, BACKLOG, FLOW_BUFFERS);

    // Metric names, the same on every target.
    /** Gauge: flows open now. */
    public static final String METRIC_OPEN = "tcp.flows.open";
    /** Counter: connections refused because {@code tcp.max-flows} were open and none was idle. */
    public static final String METRIC_REFUSED_TOTAL = "tcp.flows.refused.max-flows";
    /** Counter: connections refused because their prefix had {@code tcp.max-flows-per-prefix} open. */
    public static final String METRIC_REFUSED_PREFIX = "tcp.flows.refused.per-prefix";
    /** Counter: idle flows closed to make room for a new connection at {@code tcp.max-flows}. */
    public static final String METRIC_EVICTED_IDLE = "tcp.flows.evicted.idle";
    /** Counter prefix: flows closed by a deadline, followed by {@code idle}, {@code unit} or {@code write}. */
    public static final String METRIC_TIMEOUT_PREFIX = "tcp.flows.timeout.";
    /** Counter: buffer requests refused because the flow held {@code tcp.flow-buffers}. */
    public static final String METRIC_BUFFER_CAP = "tcp.flows.buffer.cap";
    /** Counter: buffer requests refused because the stream pool was empty. */
    public static final String METRIC_BUFFER_EXHAUSTED = "tcp.flows.buffer.exhausted";

    public StreamLimits {
        if (maxFlows < 1 || maxFlowsPerPrefix < 1 || backlog < 1 || flowBuffers < 1) {
            throw new IllegalArgumentException("stream limits must be positive");
        }
    }

    public static StreamLimits from(Config config) {
        return new StreamLimits(config.get(MAX_FLOWS), config.get(MAX_FLOWS_PER_PREFIX), config.get(BACKLOG),
                config.get(FLOW_BUFFERS));
    }
}
