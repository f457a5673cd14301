package atoll.libos.net;

import java.time.Duration;
import java.util.Objects;

/**
 * The deadlines a {@link TcpFlow} enforces, set by its handler. They are shaped so that a peer
 * cannot stretch them by trickling: time is measured from events the peer cannot repeat cheaply
 * (the end of the last complete protocol unit, the first octet of the current one, the start of a
 * write), never from "the last byte seen".
 *
 * <p>A <em>protocol unit</em> is whatever the appliance's framing delimits: a DNS message with its
 * two-octet length, an HTTP request head, an SSH binary packet, a TLS record. The handler tells the
 * flow where units end with {@link TcpFlow#unitComplete(boolean)}.
 *
 * <p>{@link Duration#ZERO} disables a deadline (an appliance that does not frame units, such as
 * a tunnel, leaves {@code unit} at zero); negative durations are refused. Appliances whose
 * operators set these should refuse zero in their configuration, where it would silently switch a
 * protection off.
 *
 * @param idle longest wait, between units, for the first octet of the next one (RFC 7766 §6.2.3
 *     idle timeout for DNS); counted from the end of the last unit (or from accept)
 * @param unit longest time from a unit's first octet until the handler declares it complete
 * @param write longest time one {@link TcpFlow#write} may wait for the peer to make room (a peer
 *     that does not read its answers)
 */
public record FlowDeadlines(Duration idle, Duration unit, Duration write) {

    /** No deadline at all: what a flow starts with until its handler sets them. */
    public static final FlowDeadlines NONE = new FlowDeadlines(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public FlowDeadlines {
        for (Duration d : new Duration[] {idle, unit, write}) {
            Objects.requireNonNull(d, "deadline");
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative deadline " + d);
            }
        }
    }
}
