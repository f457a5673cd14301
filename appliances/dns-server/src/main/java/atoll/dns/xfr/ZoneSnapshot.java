package atoll.dns.xfr;

import atoll.dns.wire.Name;
import atoll.dns.wire.Question;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.zone.Zone;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A secondary zone as kept in the read-write store, so that a restart serves it at once: a
 * header line, the wall time of the last successful refresh, then the zone as the AXFR messages
 * this server would send for it (RFC 5936 §2.2 format, each with its two-octet length as over TCP,
 * RFC 1035 §4.2.2). Read back through {@link TransferReader}, so a damaged file is rejected with
 * the same checks as a damaged transfer.
 *
 * <pre>
 *   "atoll-secondary 1\n" | refreshed (8 octets, ms since 1970) | { length (2) | message }*
 * </pre>
 */
public final class ZoneSnapshot {
    private ZoneSnapshot() {}

    private static final byte[] MAGIC = "atoll-secondary 1\n".getBytes(StandardCharsets.US_ASCII);
    /** The ID the saved messages carry (any fixed value: they answer no query). */
    private static final int ID = 0;

    /** A zone read back, and when it was last refreshed from its primary. */
    public record Saved(Zone zone, long refreshedMillis) {}

    public static byte[] encode(Zone zone, long refreshedMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (refreshedMillis >>> (8 * i)));
        }
        AxfrWriter w = new AxfrWriter(zone, ID, new Question(zone.origin(), RRType.AXFR, RRClass.IN), AxfrWriter.DEFAULT_BUDGET);
        while (w.hasNext()) {
            byte[] m = w.next();
            out.write(m.length >>> 8);
            out.write(m.length);
            out.writeBytes(m);
        }
        return out.toByteArray();
    }

    /** @throws TransferReader.TransferException if the octets are not a valid saved zone for {@code origin} */
    public static Saved decode(Name origin, byte[] octets, String source) throws TransferReader.TransferException {
        if (octets.length < MAGIC.length + 8 || !Arrays.equals(octets, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new TransferReader.TransferException("not a saved secondary zone");
        }
        int p = MAGIC.length;
        long refreshed = 0;
        for (int i = 0; i < 8; i++) {
            refreshed = refreshed << 8 | (octets[p++] & 0xff);
        }
        TransferReader reader = new TransferReader(origin, ID, null, null);
        boolean done = false;
        while (p < octets.length && !done) {
            if (p + 2 > octets.length) {
                throw new TransferReader.TransferException("truncated");
            }
            int n = (octets[p] & 0xff) << 8 | (octets[p + 1] & 0xff);
            p += 2;
            if (p + n > octets.length) {
                throw new TransferReader.TransferException("truncated");
            }
            done = reader.accept(Arrays.copyOfRange(octets, p, p + n), 0);
            p += n;
        }
        if (p != octets.length) {
            throw new TransferReader.TransferException("octets after the zone");
        }
        return new Saved(reader.zone(source), refreshed);
    }
}
