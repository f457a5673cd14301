package atoll.stack.tcp;

/** The congestion controller a connection uses; see {@link TcpConfig#congestionControl()}. */
public enum CongestionAlgorithm {
    /** RFC 5681 slow start and congestion avoidance with RFC 6582 NewReno recovery. */
    NEW_RENO,
    /** RFC 9438 CUBIC. */
    CUBIC
}
