package atoll.dns.wire;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The contents of a message's OPT pseudo-RR (RFC 6891 §6.1.2, §6.1.3):
 *
 * <pre>
 *   NAME     root (0)               CLASS  requestor's UDP payload size
 *   TYPE     OPT (41)               TTL    EXTENDED-RCODE(8) VERSION(8) DO(1) Z(15)
 *   RDLENGTH length of all options  RDATA  {OPTION-CODE, OPTION-LENGTH, OPTION-DATA}*
 * </pre>
 *
 * <p>The Z bits are not kept: RFC 6891 §6.1.4 "MUST be set to zero by senders and MUST be ignored
 * by receivers".
 *
 * @param udpPayloadSize the sender's UDP payload size, as sent (RFC 6891 §6.2.5 says values below
 *     512 are treated as 512; that is the server's business, the wire value is kept)
 * @param extendedRcodeHigh the upper 8 bits of the 12-bit RCODE (RFC 6891 §6.1.3)
 * @param version EDNS version; 0 is the only one defined (RFC 6891 §6.1.3)
 * @param dnssecOk the DO bit (RFC 3225 §3)
 */
public record Edns(int udpPayloadSize, int extendedRcodeHigh, int version, boolean dnssecOk,
        List<EdnsOption> options) {

    /** RFC 6891 §6.1.3: OPT TTL bit 16 (of 32, counted from the most significant) is DO. */
    static final int DO_BIT = 0x8000;

    public Edns {
        if (udpPayloadSize < 0 || udpPayloadSize > 0xffff) {
            throw new IllegalArgumentException("UDP payload size out of 16-bit range: " + udpPayloadSize);
        }
        if (extendedRcodeHigh < 0 || extendedRcodeHigh > 0xff) {
            throw new IllegalArgumentException("EXTENDED-RCODE out of 8-bit range: " + extendedRcodeHigh);
        }
        if (version < 0 || version > 0xff) {
            throw new IllegalArgumentException("EDNS VERSION out of 8-bit range: " + version);
        }
        options = List.copyOf(options);
    }

    /** EDNS version 0 with no options and no extended RCODE bits. */
    public static Edns of(int udpPayloadSize, boolean dnssecOk) {
        return new Edns(udpPayloadSize, 0, 0, dnssecOk, List.of());
    }

    /**
     * The largest response the sender of this OPT accepts over UDP: its payload size, but RFC 6891
     * §6.2.5: "Values lower than 512 MUST be treated as equal to 512."
     */
    public int payloadLimit() {
        return Math.max(MessageWriter.UDP_LIMIT, udpPayloadSize);
    }

    /** Octets of the OPT RR on the wire: root name, 10 fixed octets, then 4 + length per option. */
    public int wireLength() {
        int n = 1 + 10;
        for (EdnsOption o : options) {
            n += 4 + o.length();
        }
        return n;
    }

    /** dig's {@code ; EDNS: version: 0, flags: do; udp: 1232} line. */
    @Override
    public String toString() {
        return "; EDNS: version: " + version + ", flags:" + (dnssecOk ? " do" : "") + "; udp: "
                + udpPayloadSize
                + (options.isEmpty() ? ""
                        : "\n; " + options.stream().map(EdnsOption::toString).collect(Collectors.joining(" ")));
    }
}
