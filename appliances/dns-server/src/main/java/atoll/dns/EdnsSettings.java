package atoll.dns;

import atoll.dns.wire.EdnsOption;
import java.time.Duration;
import java.util.Arrays;

/**
 * What this server puts in the OPT record of its responses (RFC 6891 §6): the UDP payload size it
 * advertises, its name server identifier (RFC 5001) and the TCP idle timeout it signals (RFC 7828).
 *
 * @param udpPayloadSize the largest UDP response to an EDNS client, and the size advertised
 *     (RFC 6891 §6.2.5)
 * @param nsid the NSID payload (RFC 5001 §2.3); empty: the option is never sent
 * @param tcpIdleTimeout the idle timeout of a TCP connection, signalled in edns-tcp-keepalive
 */
public record EdnsSettings(int udpPayloadSize, byte[] nsid, Duration tcpIdleTimeout) {
    /** RFC 7828 §3.1: "TIMEOUT: an idle timeout value for the TCP connection, specified in units of 100 milliseconds". */
    static final long KEEPALIVE_UNIT_MILLIS = 100;
    /** RFC 7828 §3.1: TIMEOUT is a 16-bit field. */
    static final int KEEPALIVE_MAX = 0xffff;
    /** The default of {@code tcp.idle-timeout}, for engines built without a configuration. */
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(10);

    public EdnsSettings {
        // RFC 6891 §6.1.2: OPTION-LENGTH is 16 bits.
        if (nsid.length > 0xffff) {
            throw new IllegalArgumentException("NSID longer than 65535 octets");
        }
        nsid = nsid.clone();
    }

    /** {@code udpPayloadSize}, no NSID, the default idle timeout. */
    public static EdnsSettings of(int udpPayloadSize) {
        return new EdnsSettings(udpPayloadSize, new byte[0], DEFAULT_IDLE);
    }

    @Override
    public byte[] nsid() {
        return nsid.clone();
    }

    /** The NSID option this server answers with, or null when it has none to give. */
    EdnsOption nsidOption() {
        return nsid.length == 0 ? null : new EdnsOption(EdnsOption.NSID, nsid);
    }

    /** The edns-tcp-keepalive option with the idle timeout in units of 100 ms (RFC 7828 §3.1). */
    EdnsOption keepaliveOption() {
        long units = Math.min(KEEPALIVE_MAX, tcpIdleTimeout.toMillis() / KEEPALIVE_UNIT_MILLIS);
        return new EdnsOption(EdnsOption.TCP_KEEPALIVE, new byte[] {(byte) (units >>> 8), (byte) units});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdnsSettings e && e.udpPayloadSize == udpPayloadSize && Arrays.equals(e.nsid, nsid)
                && e.tcpIdleTimeout.equals(tcpIdleTimeout);
    }

    @Override
    public int hashCode() {
        return (udpPayloadSize * 31 + Arrays.hashCode(nsid)) * 31 + tcpIdleTimeout.hashCode();
    }
}
