package atoll.dns.tsig;

import atoll.dns.wire.Name;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A TSIG resource record (RFC 8945 §4.2): the key name as its owner, CLASS ANY, TTL 0, and this
 * RDATA:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  /                         Algorithm Name                        /
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  |          Time Signed          +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |            Fudge              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          MAC Size             |                               /
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+             MAC               /
 *  /                                                               /
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Original ID          |            Error              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Other Len            |                               /
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+           Other Data          /
 *  /                                                               /
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param timeSigned seconds since 1970-01-01 UTC, 48 bits
 * @param error a TSIG error ({@link Tsig#BADSIG} ...) or an RCODE
 */
public record TsigRecord(Name keyName, Name algorithm, long timeSigned, int fudge, byte[] mac, int originalId,
        int error, byte[] otherData) {

    /** RFC 8945 §4.2: Time Signed is a 48-bit field. */
    static final long MAX_TIME = (1L << 48) - 1;

    public TsigRecord {
        Objects.requireNonNull(keyName);
        Objects.requireNonNull(algorithm);
        if (timeSigned < 0 || timeSigned > MAX_TIME) {
            throw new IllegalArgumentException("time signed out of 48-bit range");
        }
        mac = mac.clone();
        otherData = otherData.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public byte[] otherData() {
        return otherData.clone();
    }

    /** Parses the RDATA (the algorithm name is never compressed: RFC 8945 §4.2, RFC 3597 §4). */
    static TsigRecord parse(Name keyName, byte[] rdata) {
        int[] pos = {0};
        Name algorithm = name(rdata, pos);
        int p = pos[0];
        need(rdata, p, 10);
        long time = (u16(rdata, p) & 0xffffL) << 32 | (u16(rdata, p + 2) & 0xffffL) << 16 | u16(rdata, p + 4);
        int fudge = u16(rdata, p + 6);
        int macSize = u16(rdata, p + 8);
        p += 10;
        need(rdata, p, macSize + 6);
        byte[] mac = Arrays.copyOfRange(rdata, p, p + macSize);
        p += macSize;
        int originalId = u16(rdata, p);
        int error = u16(rdata, p + 2);
        int otherLen = u16(rdata, p + 4);
        p += 6;
        need(rdata, p, otherLen);
        byte[] other = Arrays.copyOfRange(rdata, p, p + otherLen);
        if (p + otherLen != rdata.length) {
            throw new IllegalArgumentException("octets after Other Data");
        }
        return new TsigRecord(keyName, algorithm, time, fudge, mac, originalId, error, other);
    }

    /** The whole record on the wire: owner (uncompressed), TYPE TSIG, CLASS ANY, TTL 0, RDATA. */
    byte[] toWire() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeName(out, keyName, false);
        u16(out, Tsig.TYPE);
        u16(out, Tsig.CLASS_ANY);
        u16(out, 0);
        u16(out, 0); // TTL: RFC 8945 §4.2 "This MUST be 0"
        ByteArrayOutputStream rd = new ByteArrayOutputStream();
        writeName(rd, algorithm, false);
        u48(rd, timeSigned);
        u16(rd, fudge);
        u16(rd, mac.length);
        rd.writeBytes(mac);
        u16(rd, originalId);
        u16(rd, error);
        u16(rd, otherData.length);
        rd.writeBytes(otherData);
        u16(out, rd.size());
        out.writeBytes(rd.toByteArray());
        return out.toByteArray();
    }

    /**
     * RFC 8945 §4.3.3, the TSIG variables in the digest: the key name and algorithm name in
     * canonical form (lower case, uncompressed), CLASS ANY, TTL 0, Time Signed, Fudge, Error,
     * Other Len, Other Data.
     */
    byte[] variables() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeName(out, keyName, true);
        u16(out, Tsig.CLASS_ANY);
        u16(out, 0);
        u16(out, 0);
        writeName(out, algorithm, true);
        timers(out);
        u16(out, error);
        u16(out, otherData.length);
        out.writeBytes(otherData);
        return out.toByteArray();
    }

    /** RFC 8945 §5.3.1: the "TSIG timers" digested for the later messages of a stream. */
    byte[] timers() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        timers(out);
        return out.toByteArray();
    }

    private void timers(ByteArrayOutputStream out) {
        u48(out, timeSigned);
        u16(out, fudge);
    }

    TsigRecord withMac(byte[] newMac) {
        return new TsigRecord(keyName, algorithm, timeSigned, fudge, newMac, originalId, error, otherData);
    }

    static void writeName(ByteArrayOutputStream out, Name name, boolean lower) {
        for (int i = 0; i < name.labelCount(); i++) {
            out.write(name.labelLength(i));
            for (int j = 0; j < name.labelLength(i); j++) {
                byte b = name.labelByte(i, j);
                // RFC 4034 §6.2: canonical form is lower-case ASCII.
                out.write(lower && b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
            }
        }
        out.write(0);
    }

    private static Name name(byte[] data, int[] pos) {
        List<byte[]> labels = new ArrayList<>();
        int p = pos[0];
        while (true) {
            need(data, p, 1);
            int len = data[p] & 0xff;
            if (len == 0) {
                p++;
                break;
            }
            if (len > Name.MAX_LABEL) {
                throw new IllegalArgumentException("compressed or bad label in the algorithm name");
            }
            need(data, p + 1, len);
            labels.add(Arrays.copyOfRange(data, p + 1, p + 1 + len));
            p += 1 + len;
        }
        pos[0] = p;
        return Name.of(labels);
    }

    private static void need(byte[] data, int at, int n) {
        if (at + n > data.length) {
            throw new IllegalArgumentException("TSIG RDATA too short");
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    static void u48(ByteArrayOutputStream out, long v) {
        u16(out, (int) (v >>> 32));
        u16(out, (int) (v >>> 16));
        u16(out, (int) v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsigRecord t && t.keyName.equals(keyName) && t.algorithm.equals(algorithm)
                && t.timeSigned == timeSigned && t.fudge == fudge && Arrays.equals(t.mac, mac)
                && t.originalId == originalId && t.error == error && Arrays.equals(t.otherData, otherData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyName, algorithm, timeSigned, fudge, originalId, error) * 31 + Arrays.hashCode(mac);
    }
}
