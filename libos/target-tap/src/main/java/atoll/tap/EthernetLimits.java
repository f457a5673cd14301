package atoll.tap;

/** Ethernet sizes the target checks its buffers against (until the wire module names them). */
final class EthernetLimits {
    private EthernetLimits() {}

    /** Ethernet II header: destination, source, EtherType (RFC 894). */
    static final int HEADER = 14;
}
