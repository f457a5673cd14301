package atoll.stack.wire;

/** The TCP timestamps option's values (RFC 7323 §3.2), raw 32-bit clocks. */
public record TcpTimestamps(int tsVal, int tsEcr) {}
