package atoll.libos.net;

/**
 * Where one received datagram came from and where it was sent to: the source and destination
 * transport addresses of its IP and UDP headers (RFC 768's pseudo-header and ports). Reply with
 * {@link UdpEndpoint#reply}: the answer goes to {@link #source()} and leaves from
 * {@link #destination()}, the address the client asked, even on an endpoint bound to every
 * address.
 *
 * <p>A stack passes its own reusable instance to {@link DatagramHandler#onDatagram} and overwrites
 * it for the next datagram: it is valid only during that call, and the handler must not modify it.
 * A holder that needs the addresses later (another thread, a queue, a table) takes
 * {@link #copy()}. Not thread-safe.
 */
public final class DatagramAddresses {
    private final TransportAddress source = new TransportAddress();
    private final TransportAddress destination = new TransportAddress();

    /** Both unset; a stack fills them in for each datagram. */
    public DatagramAddresses() {}

    /** The sender's address and port. */
    public TransportAddress source() {
        return source;
    }

    /** The local address and port the datagram was sent to (never a wildcard). */
    public TransportAddress destination() {
        return destination;
    }

    /** Takes the values of {@code other}. Never allocates. */
    public DatagramAddresses set(DatagramAddresses other) {
        source.set(other.source);
        destination.set(other.destination);
        return this;
    }

    /** An independent copy, owned by the caller. */
    public DatagramAddresses copy() {
        return new DatagramAddresses().set(this);
    }

    @Override
    public String toString() {
        return source + " -> " + destination;
    }
}
