package atoll.dns.tsig;

import atoll.dns.wire.DnsFormatException;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageReader;
import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TSIG (RFC 8945) as a sans-I/O codec: checks the TSIG record of a message against a keyring and
 * the current time given by the caller, and appends TSIG records to messages. No clock, no
 * sockets; the MACs come from the JDK's {@code javax.crypto.Mac}.
 */
public final class Tsig {
    private Tsig() {}

    /** RFC 8945 §4.2: "TYPE: This MUST be TSIG (250)". */
    public static final int TYPE = RRType.TSIG;
    /** RFC 8945 §4.2: "CLASS: This MUST be ANY" (255, RFC 1035 §3.2.5). */
    static final int CLASS_ANY = 255;
    /** RFC 8945 §10: "The RECOMMENDED value [of Fudge] ... is 300 seconds". */
    public static final int DEFAULT_FUDGE = 300;

    /** TSIG error codes (RFC 8945 §3, the IANA RCODE registry). */
    public static final int BADSIG = 16;
    public static final int BADKEY = 17;
    public static final int BADTIME = 18;
    public static final int BADTRUNC = 22;
    /** RFC 8945 §5.3.2 and §5.2: every TSIG error response carries RCODE NOTAUTH (9). */
    public static final int NOTAUTH = 9;

    /** What {@link #verify} found in a request. */
    public sealed interface Verification {}

    /** The message carries no TSIG record. */
    public record Unsigned() implements Verification {}

    /**
     * Signed with {@code key}, the MAC checked and the time within the fudge; {@code unsigned} is
     * the message as it was before it was signed (TSIG removed, ARCOUNT and ID restored).
     */
    public record Valid(TsigKey key, TsigRecord tsig, byte[] unsigned) implements Verification {}

    /**
     * Signed, but rejected with TSIG error {@code error} (BADKEY, BADSIG, BADTIME); {@code key} is
     * null for BADKEY. RFC 8945 §5.3.2: the error response is unsigned for BADKEY and BADSIG and
     * signed for BADTIME (the MAC was valid).
     */
    public record Rejected(int error, TsigRecord tsig, TsigKey key) implements Verification {}

    /** The TSIG record is misplaced or malformed: the answer is FORMERR (RFC 8945 §5.2). */
    public record Malformed(String why) implements Verification {}

    /** A message with a TSIG record appended, and that record's MAC (the next one's prior MAC). */
    public record Signed(byte[] message, byte[] mac) {}

    /**
     * Checks the TSIG of a request (RFC 8945 §5.2): the key (BADKEY), then the MAC (BADSIG), then
     * the time (BADTIME).
     *
     * @param message the whole message as received
     * @param keys known keys by name
     * @param now seconds since 1970-01-01 UTC, from the caller's clock
     */
    public static Verification verify(byte[] message, Map<Name, TsigKey> keys, long now) {
        return verify(message, keys, now, null);
    }

    /**
     * As {@link #verify(byte[], Map, long)}, for a response to a request whose MAC was
     * {@code requestMac} (RFC 8945 §4.3.1: the request's MAC is digested first), or for a request
     * when it is null.
     */
    public static Verification verify(byte[] message, Map<Name, TsigKey> keys, long now, byte[] requestMac) {
        Located located;
        try {
            located = locate(message);
        } catch (DnsFormatException | IllegalArgumentException e) {
            return new Malformed(e.getMessage());
        }
        if (located == null) {
            return new Unsigned();
        }
        TsigRecord tsig = located.tsig();
        TsigKey key = keys.get(tsig.keyName());
        TsigAlgorithm algorithm = TsigAlgorithm.byWireName(tsig.algorithm());
        // RFC 8945 §5.2.1: "If a non-forwarding server does not recognize the key or algorithm used
        // by the client ..., the server MUST generate an error response with RCODE 9 (NOTAUTH) and
        // TSIG ERROR 17 (BADKEY)."
        if (key == null || algorithm != key.algorithm()) {
            return new Rejected(BADKEY, tsig, null);
        }
        int macSize = tsig.mac().length;
        // RFC 8945 §5.2.2.1: a MAC longer than the algorithm's output, or shorter than the larger
        // of 10 octets and half the output, is a format error.
        if (macSize > algorithm.macLength() || macSize < algorithm.minimumMacLength()) {
            return new Malformed("MAC of " + macSize + " octets for " + algorithm.shortName());
        }
        byte[] expected = mac(key, requestMac, located.unsigned(), tsig.variables());
        // RFC 8945 §5.2.2: "If the MAC fails to verify, the server MUST generate an error response
        // ... with RCODE 9 (NOTAUTH) and TSIG ERROR 16 (BADSIG)." Compared in constant time.
        if (!MessageDigest.isEqual(Arrays.copyOf(expected, macSize), tsig.mac())) {
            return new Rejected(BADSIG, tsig, key);
        }
        // RFC 8945 §5.2.3: "If the server time is outside the time interval specified by the
        // request (which is the Time Signed value plus/minus the Fudge value), the server MUST
        // generate an error response with RCODE 9 (NOTAUTH) and TSIG ERROR 18 (BADTIME)."
        if (Math.abs(now - tsig.timeSigned()) > tsig.fudge()) {
            return new Rejected(BADTIME, tsig, key);
        }
        return new Valid(key, tsig, located.unsigned());
    }

    /**
     * Signs a request or a single response (RFC 8945 §4.3): appends a TSIG record made with
     * {@code key} at time {@code now}.
     *
     * @param requestMac the MAC of the request this answers (RFC 8945 §4.3.1), or null for a request
     * @param error the TSIG error to carry (0 but for BADTIME responses)
     * @param otherData 6 octets of server time for BADTIME (RFC 8945 §5.2.3), else empty
     */
    public static Signed sign(byte[] message, TsigKey key, byte[] requestMac, long now, int fudge, int error,
            byte[] otherData) {
        TsigRecord unsignedRecord = new TsigRecord(key.name(), key.algorithm().wireName(), now, fudge, new byte[0],
                id(message), error, otherData);
        byte[] mac = mac(key, requestMac, message, unsignedRecord.variables());
        return new Signed(append(message, unsignedRecord.withMac(mac)), mac);
    }

    /**
     * RFC 8945 §5.3.2: the error response to a request whose key or MAC failed is unsigned: its
     * TSIG record has MAC Size 0, the request's key name, algorithm and time, and the error.
     */
    public static byte[] unsignedError(byte[] response, TsigRecord request, int error) {
        return append(response, new TsigRecord(request.keyName(), request.algorithm(), request.timeSigned(),
                request.fudge(), new byte[0], id(response), error, new byte[0]));
    }

    /**
     * RFC 8945 §5.2.3: the BADTIME response is signed, echoes the request's Time Signed and carries
     * the server's time in Other Data (48 bits), so the client can see the skew.
     */
    public static byte[] badTime(byte[] response, TsigKey key, TsigRecord request, long now) {
        byte[] other = new byte[6];
        for (int i = 0; i < 6; i++) {
            other[i] = (byte) (now >>> (40 - 8 * i));
        }
        TsigRecord unsignedRecord = new TsigRecord(key.name(), key.algorithm().wireName(), request.timeSigned(),
                request.fudge(), new byte[0], id(response), BADTIME, other);
        byte[] mac = mac(key, request.mac(), response, unsignedRecord.variables());
        return append(response, unsignedRecord.withMac(mac));
    }

    /**
     * Signs the messages of a multi-message response one after the other (RFC 8945 §5.3.1): the
     * first with the request's MAC and all TSIG variables, each later one with the prior MAC and
     * the timers only. This signer signs every message (the RFC allows gaps of up to 99).
     */
    public static final class StreamSigner {
        private final TsigKey key;
        private final int fudge;
        private byte[] priorMac;
        private boolean first = true;

        public StreamSigner(TsigKey key, byte[] requestMac, int fudge) {
            this.key = key;
            this.priorMac = requestMac.clone();
            this.fudge = fudge;
        }

        public byte[] sign(byte[] message, long now) {
            if (first) {
                first = false;
                Signed s = Tsig.sign(message, key, priorMac, now, fudge, 0, new byte[0]);
                priorMac = s.mac();
                return s.message();
            }
            TsigRecord r = new TsigRecord(key.name(), key.algorithm().wireName(), now, fudge, new byte[0],
                    id(message), 0, new byte[0]);
            // RFC 8945 §5.3.1: "Prior MAC (running), DNS Messages (any unsigned messages since the
            // last TSIG), TSIG Timers (current message)".
            byte[] mac = mac(key, priorMac, message, r.timers());
            priorMac = mac;
            return append(message, r.withMac(mac));
        }
    }

    /**
     * Checks the messages of a multi-message response one after the other (RFC 8945 §5.3.1): the
     * first must be signed; later ones may be unsigned, at most 99 in a row, and are then digested
     * with the next signed one; the last must be signed ({@link #complete()}).
     */
    public static final class StreamVerifier {
        /** RFC 8945 §5.3.1: "... every 100 envelopes" at the least. */
        static final int MAX_UNSIGNED = 99;
        private final TsigKey key;
        private byte[] priorMac;
        private boolean first = true;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        private int unsignedCount;

        public StreamVerifier(TsigKey key, byte[] requestMac) {
            this.key = key;
            this.priorMac = requestMac.clone();
        }

        /** Null if the message is acceptable, else why not. */
        public String verify(byte[] message, long now) {
            Located located;
            try {
                located = locate(message);
            } catch (DnsFormatException | IllegalArgumentException e) {
                return "malformed TSIG: " + e.getMessage();
            }
            if (located == null) {
                if (first) {
                    return "the first message of the response is not signed";
                }
                if (++unsignedCount > MAX_UNSIGNED) {
                    return "more than " + MAX_UNSIGNED + " unsigned messages in a row";
                }
                pending.writeBytes(message);
                return null;
            }
            TsigRecord tsig = located.tsig();
            if (!tsig.keyName().equals(key.name()) || TsigAlgorithm.byWireName(tsig.algorithm()) != key.algorithm()) {
                return "signed with another key (" + tsig.keyName() + ")";
            }
            if (tsig.error() != 0) {
                return "TSIG error " + tsig.error();
            }
            byte[] expected;
            if (first) {
                expected = mac(key, priorMac, located.unsigned(), tsig.variables());
            } else {
                pending.writeBytes(located.unsigned());
                expected = mac(key, priorMac, pending.toByteArray(), tsig.timers());
            }
            byte[] got = tsig.mac();
            if (got.length < key.algorithm().minimumMacLength() || got.length > key.algorithm().macLength()
                    || !MessageDigest.isEqual(Arrays.copyOf(expected, got.length), got)) {
                return "bad MAC (BADSIG)";
            }
            if (Math.abs(now - tsig.timeSigned()) > tsig.fudge()) {
                return "time signed " + tsig.timeSigned() + " outside now " + now + " +/- " + tsig.fudge() + " (BADTIME)";
            }
            first = false;
            pending.reset();
            unsignedCount = 0;
            priorMac = got;
            return null;
        }

        /** True once the last message seen was signed and verified (RFC 8945 §5.3.1). */
        public boolean complete() {
            return !first && unsignedCount == 0;
        }
    }

    /** The TSIG record of {@code message} and the message as it was before it was signed. */
    record Located(TsigRecord tsig, byte[] unsigned) {}

    /**
     * Finds the TSIG record: RFC 8945 §5.2 "If the TSIG RR is not the last RR in the additional
     * section, or if there is more than one ... FORMERR". Returns null if there is none.
     */
    static Located locate(byte[] message) throws DnsFormatException {
        Message m = MessageReader.parse(message);
        int tsigAt = -1;
        List<List<ResourceRecord>> sections = List.of(m.answers(), m.authorities(), m.additionals());
        int total = 0;
        for (List<ResourceRecord> section : sections) {
            for (ResourceRecord rr : section) {
                if (rr.type() == TYPE) {
                    if (tsigAt >= 0) {
                        throw new IllegalArgumentException("more than one TSIG record");
                    }
                    tsigAt = total;
                }
                total++;
            }
        }
        if (tsigAt < 0) {
            return null;
        }
        List<ResourceRecord> additional = m.additionals();
        // The OPT record, held apart by the reader, may stand after it on the wire: check offsets.
        int start = lastRecordStart(message, m);
        if (tsigAt != total - 1 || start < 0 || additional.isEmpty() || additional.getLast().type() != TYPE) {
            throw new IllegalArgumentException("TSIG is not the last record of the additional section");
        }
        ResourceRecord rr = additional.getLast();
        if (rr.rrClass() != CLASS_ANY || rr.ttl() != 0) {
            throw new IllegalArgumentException("TSIG record with CLASS " + rr.rrClass() + " TTL " + rr.ttl());
        }
        TsigRecord tsig = TsigRecord.parse(rr.name(), ((Rdata.Unknown) rr.rdata()).data());
        // RFC 8945 §4.3.1/§4.3.2: the digest covers the message as it was before the TSIG was added:
        // the record removed, ARCOUNT one less, and the ID restored to the Original ID.
        byte[] unsigned = Arrays.copyOf(message, start);
        int arcount = ((unsigned[10] & 0xff) << 8 | (unsigned[11] & 0xff)) - 1;
        unsigned[10] = (byte) (arcount >>> 8);
        unsigned[11] = (byte) arcount;
        unsigned[0] = (byte) (tsig.originalId() >>> 8);
        unsigned[1] = (byte) tsig.originalId();
        return new Located(tsig, unsigned);
    }

    /**
     * Offset of the last record of the message (whose well-formedness the reader checked), if it is
     * a TSIG record; -1 if the last record is another.
     */
    private static int lastRecordStart(byte[] w, Message m) {
        int records = (u16(w, 6) + u16(w, 8) + u16(w, 10));
        int p = 12;
        for (int i = 0; i < u16(w, 4); i++) {
            p = skipName(w, p) + 4;
        }
        int last = -1;
        for (int i = 0; i < records; i++) {
            last = p;
            p = skipName(w, p);
            int rdlength = u16(w, p + 8);
            p += 10 + rdlength;
        }
        if (last < 0) {
            return -1;
        }
        return u16(w, skipName(w, last)) == TYPE ? last : -1;
    }

    private static int skipName(byte[] w, int p) {
        while (true) {
            int len = w[p] & 0xff;
            if (len == 0) {
                return p + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                return p + 2;
            }
            p += 1 + len;
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static int id(byte[] message) {
        return u16(message, 0);
    }

    /** The message with {@code tsig} appended to its additional section (ARCOUNT one more). */
    static byte[] append(byte[] message, TsigRecord tsig) {
        byte[] rr = tsig.toWire();
        byte[] out = Arrays.copyOf(message, message.length + rr.length);
        System.arraycopy(rr, 0, out, message.length, rr.length);
        int arcount = u16(out, 10) + 1;
        out[10] = (byte) (arcount >>> 8);
        out[11] = (byte) arcount;
        return out;
    }

    /** RFC 8945 §4.3: MAC over [prior MAC length + prior MAC], the message, then the variables. */
    static byte[] mac(TsigKey key, byte[] priorMac, byte[] message, byte[] variables) {
        try {
            Mac mac = Mac.getInstance(key.algorithm().jdkName());
            mac.init(new SecretKeySpec(key.secretView(), key.algorithm().jdkName()));
            if (priorMac != null) {
                mac.update((byte) (priorMac.length >>> 8));
                mac.update((byte) priorMac.length);
                mac.update(priorMac);
            }
            mac.update(message);
            mac.update(variables);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + key.algorithm().jdkName(), e);
        }
    }

    /** The size of the TSIG record {@code key} adds to a message: room to keep free when answering. */
    public static int recordLength(TsigKey key) {
        // Owner, TYPE..RDLENGTH (10), algorithm, time (6), fudge, MAC size, MAC, ID, error, other len.
        return key.name().wireLength() + 10 + key.algorithm().wireName().wireLength() + 6 + 2 + 2
                + key.algorithm().macLength() + 2 + 2 + 2 + 6;
    }
}
