package atoll.dns.tsig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.Name;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * TSIG against real tools: queries captured from {@code kdig -y} (Knot 3.2) verified here, and our
 * signatures verified by dnsjava's TSIG (single responses and multi-message streams), and
 * dnsjava's verified by us.
 */
class TsigTest {
    static final String SECRET = "c2VjcmV0LWZvci10ZXN0cy0wMTIzNDU2Nzg5YWJjZGVm";

    /**
     * {@code kdig -y hmac-sha256:xfr-key.:SECRET example.com SOA}, captured on loopback: Time
     * Signed 0x6b0b8278, Fudge 300, the 32-octet MAC.
     */
    static final String KDIG_SHA256 = "ee4901200001000000000001076578616d706c6503636f6d0000060001077866722d6b65790000fa00ff"
            + "00000000003d0b686d61632d7368613235360000006b0b8278012c00202d43594a0aca408ceec9ad6d223b4342828879bc2167"
            + "ea6c57743d003bc170abee4900000000";
    /** The same with {@code hmac-sha512} and QTYPE AXFR. */
    static final String KDIG_SHA512 = "89fd01200001000000000001076578616d706c6503636f6d0000fc0001077866722d6b65790000fa00ff"
            + "00000000005d0b686d61632d7368613531320000006b0b827b012c0040d68cbf2848de29cae915381cf7a5935954999ba37f"
            + "367d56b6b8117833035a0eac1f1cbbccb64580463376eab7e14b443223c5cabe116da4420a65fcb32da12e89fd00000000";
    static final String KDIG_MD5 = "e6e401200001000000000001076578616d706c6503636f6d0000fc0001077866722d6b65790000fa00ff"
            + "00000000003a08686d61632d6d6435077369672d616c670372656703696e740000006b0b827e012c0010783d9261f079ca4423"
            + "2074f0c60ba1b2e6e400000000";
    static final String KDIG_SHA384 = "9def01200001000000000001076578616d706c6503636f6d0000fc0001077866722d6b65790000fa00ff"
            + "00000000004d0b686d61632d7368613338340000006b0b8280012c0030938d8857ed0b0dd9d62c9e451b888a2955ac59da98"
            + "b245e1822cabdb721bbdbe82574b03a1af90b0cd63d0d31ae7366a9def00000000";

    static TsigKey key(String algorithm) {
        return TsigKey.parse(algorithm + ":xfr-key:" + SECRET);
    }

    static Map<Name, TsigKey> ring(TsigKey k) {
        return Map.of(k.name(), k);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void kdigSignedRequestsVerify() {
        assertValid(KDIG_SHA256, "hmac-sha256", 0x6b0b8278L);
        assertValid(KDIG_SHA512, "hmac-sha512", 0x6b0b827bL);
        assertValid(KDIG_MD5, "hmac-md5", 0x6b0b827eL);
        assertValid(KDIG_SHA384, "hmac-sha384", 0x6b0b8280L);
    }

    private static void assertValid(String vector, String algorithm, long timeSigned) {
        TsigKey k = key(algorithm);
        Tsig.Verification v = Tsig.verify(hex(vector), ring(k), timeSigned + 17);
        Tsig.Valid valid = assertInstanceOf(Tsig.Valid.class, v, algorithm);
        assertEquals(k, valid.key());
        assertEquals(timeSigned, valid.tsig().timeSigned());
        assertEquals(300, valid.tsig().fudge());
        assertEquals(k.algorithm().macLength(), valid.tsig().mac().length);
    }

    @Test
    void badKeyBadSigBadTime() {
        byte[] q = hex(KDIG_SHA256);
        long t = 0x6b0b8278L;
        // RFC 8945 §5.2.1: an unknown key, or a known name with another algorithm, is BADKEY.
        Tsig.Rejected unknown = assertInstanceOf(Tsig.Rejected.class,
                Tsig.verify(q, ring(TsigKey.parse("hmac-sha256:other:" + SECRET)), t));
        assertEquals(Tsig.BADKEY, unknown.error());
        Tsig.Rejected otherAlg = assertInstanceOf(Tsig.Rejected.class, Tsig.verify(q, ring(key("hmac-sha512")), t));
        assertEquals(Tsig.BADKEY, otherAlg.error());
        // RFC 8945 §5.2.2: a wrong secret, or one octet of the message changed, is BADSIG.
        TsigKey wrong = TsigKey.parse("hmac-sha256:xfr-key:" + Base64.getEncoder().encodeToString("nope".getBytes()));
        assertEquals(Tsig.BADSIG, assertInstanceOf(Tsig.Rejected.class, Tsig.verify(q, ring(wrong), t)).error());
        byte[] flipped = q.clone();
        flipped[3] ^= 0x01; // the flags' low octet
        assertEquals(Tsig.BADSIG,
                assertInstanceOf(Tsig.Rejected.class, Tsig.verify(flipped, ring(key("hmac-sha256")), t)).error());
        // RFC 8945 §5.2.3: outside Time Signed ± Fudge is BADTIME; at the edge it is still valid.
        assertInstanceOf(Tsig.Valid.class, Tsig.verify(q, ring(key("hmac-sha256")), t + 300));
        assertInstanceOf(Tsig.Valid.class, Tsig.verify(q, ring(key("hmac-sha256")), t - 300));
        assertEquals(Tsig.BADTIME,
                assertInstanceOf(Tsig.Rejected.class, Tsig.verify(q, ring(key("hmac-sha256")), t + 301)).error());
        assertEquals(Tsig.BADTIME,
                assertInstanceOf(Tsig.Rejected.class, Tsig.verify(q, ring(key("hmac-sha256")), t - 301)).error());
    }

    @Test
    void misplacedOrTruncatedTsigIsMalformed() {
        byte[] q = hex(KDIG_SHA256);
        // An OPT after the TSIG: RFC 8945 §5.2 the TSIG must be the last record.
        byte[] opt = hex("0000290200000000000000");
        byte[] withOpt = new byte[q.length + opt.length];
        System.arraycopy(q, 0, withOpt, 0, q.length);
        System.arraycopy(opt, 0, withOpt, q.length, opt.length);
        withOpt[11] = 2;
        assertInstanceOf(Tsig.Malformed.class, Tsig.verify(withOpt, ring(key("hmac-sha256")), 0x6b0b8278L));
        // The TSIG record moved to the answer section (ANCOUNT 1, ARCOUNT 0): FORMERR too.
        byte[] inAnswer = q.clone();
        inAnswer[7] = 1;
        inAnswer[11] = 0;
        assertInstanceOf(Tsig.Malformed.class, Tsig.verify(inAnswer, ring(key("hmac-sha256")), 0x6b0b8278L));
        // A MAC truncated below 16 octets (half of SHA-256's 32): RFC 8945 §5.2.2.1.
        TsigKey k = key("hmac-sha256");
        byte[] query = query(7);
        Tsig.Signed s = Tsig.sign(query, k, null, 1000, 300, 0, new byte[0]);
        byte[] truncated = truncateMac(s.message(), query.length, 12);
        assertInstanceOf(Tsig.Malformed.class, Tsig.verify(truncated, ring(k), 1000));
        // Truncated to 16 octets is accepted (the first 16 octets of the MAC).
        assertInstanceOf(Tsig.Valid.class, Tsig.verify(truncateMac(s.message(), query.length, 16), ring(k), 1000));
        // Garbage in the RDATA: malformed, never an exception.
        byte[] garbage = s.message().clone();
        garbage[garbage.length - 2] = (byte) 0xff; // Other Len claims 0xff00 octets
        assertInstanceOf(Tsig.Malformed.class, Tsig.verify(garbage, ring(k), 1000));
    }

    /** Rewrites the TSIG record at {@code at} with its MAC cut to {@code size} octets. */
    private static byte[] truncateMac(byte[] signed, int at, int size) {
        int owner = 1 + "xfr-key".length() + 1;
        int rdStart = at + owner + 10;
        int alg = 1 + "hmac-sha256".length() + 1;
        int macSizeAt = rdStart + alg + 6 + 2;
        int full = (signed[macSizeAt] & 0xff) << 8 | (signed[macSizeAt + 1] & 0xff);
        byte[] out = new byte[signed.length - (full - size)];
        System.arraycopy(signed, 0, out, 0, macSizeAt + 2 + size);
        System.arraycopy(signed, macSizeAt + 2 + full, out, macSizeAt + 2 + size, signed.length - (macSizeAt + 2 + full));
        out[macSizeAt] = (byte) (size >>> 8);
        out[macSizeAt + 1] = (byte) size;
        int rdlength = ((out[rdStart - 2] & 0xff) << 8 | (out[rdStart - 1] & 0xff)) - (full - size);
        out[rdStart - 2] = (byte) (rdlength >>> 8);
        out[rdStart - 1] = (byte) rdlength;
        return out;
    }

    static byte[] query(int id) {
        Message m = Message.newQuery(Record.newRecord(org.xbill.DNS.Name.fromConstantString("example.com."), Type.SOA,
                DClass.IN));
        m.getHeader().setID(id);
        return m.toWire();
    }

    static TSIG dnsjava(String algorithm, long now) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
        return new TSIG(TSIG.algorithmToName(algorithm), org.xbill.DNS.Name.fromConstantString("xfr-key."),
                new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(SECRET), "HmacSHA256"), clock);
    }

    @Test
    void dnsjavaSignedQueriesVerifyAndOurResponsesVerifyInDnsjava() throws Exception {
        for (String alg : new String[] {"hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-md5"}) {
            long now = 1_800_000_000L;
            TSIG theirs = dnsjava(alg, now);
            Message q = Message.newQuery(Record.newRecord(org.xbill.DNS.Name.fromConstantString("example.com."),
                    Type.AXFR, DClass.IN));
            q.setTSIG(theirs);
            byte[] wire = q.toWire(65535);
            TsigKey k = key(alg);
            Tsig.Valid valid = assertInstanceOf(Tsig.Valid.class, Tsig.verify(wire, ring(k), now + 5), alg);

            // A single response signed by us, verified by dnsjava against the query's TSIG.
            Message parsedQuery = new Message(wire);
            Message r = new Message(parsedQuery.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.addRecord(parsedQuery.getQuestion(), Section.QUESTION);
            byte[] plain = r.toWire();
            byte[] signed = Tsig.sign(plain, k, valid.tsig().mac(), now + 6, 300, 0, new byte[0]).message();
            Message back = new Message(signed);
            assertEquals(Rcode.NOERROR, theirs.verify(back, signed, parsedQuery.getTSIG()), alg);
            assertTrue(back.isVerified(), alg);

            // A flipped bit in our response is caught by dnsjava.
            byte[] bad = signed.clone();
            bad[2] ^= 0x04;
            assertFalse(theirs.verify(new Message(bad), bad, parsedQuery.getTSIG()) == Rcode.NOERROR, alg);
        }
    }

    @Test
    void ourStreamVerifiesInDnsjavaAndTheirsInOurs() throws Exception {
        long now = 1_800_000_000L;
        TsigKey k = key("hmac-sha256");
        Tsig.Signed q = Tsig.sign(query(99), k, null, now, 300, 0, new byte[0]);
        TSIG theirs = dnsjava("hmac-sha256", now);
        Message parsedQuery = new Message(q.message());
        // dnsjava checks the query we signed.
        assertEquals(Rcode.NOERROR, theirs.verify(parsedQuery, q.message(), null));

        Tsig.StreamSigner signer = new Tsig.StreamSigner(k, q.mac(), 300);
        TSIG.StreamVerifier verifier = new TSIG.StreamVerifier(theirs, parsedQuery.getTSIG());
        for (int i = 0; i < 5; i++) {
            byte[] m = signer.sign(response(99, i), now + i);
            assertEquals(Rcode.NOERROR, verifier.verify(new Message(m), m, i == 4), () -> verifier.getErrorMessage());
        }

        // dnsjava's stream generator (3.6 signs every message) checked by our verifier.
        TSIGRecord queryTsig = parsedQuery.getTSIG();
        TSIG.StreamGenerator gen = new TSIG.StreamGenerator(theirs, queryTsig);
        Tsig.StreamVerifier ours = new Tsig.StreamVerifier(k, q.mac());
        for (int i = 0; i < 5; i++) {
            Message m = new Message(response(99, i));
            gen.generate(m);
            assertNull(ours.verify(m.toWire(), now), "message " + i);
            assertTrue(ours.complete());
        }
        // RFC 8945 §5.3.1: unsigned messages between signed ones are digested with the next signed
        // one (prior MAC, the unsigned messages, this message, the timers).
        Tsig.StreamVerifier gaps = new Tsig.StreamVerifier(k, q.mac());
        byte[] first = signer(k, q.mac()).sign(response(99, 0), now);
        assertNull(gaps.verify(first, now));
        byte[] priorMac = Tsig.locate(first).tsig().mac();
        java.io.ByteArrayOutputStream digested = new java.io.ByteArrayOutputStream();
        for (int i = 1; i <= 3; i++) {
            byte[] m = response(99, i);
            digested.writeBytes(m);
            assertNull(gaps.verify(m, now));
            assertFalse(gaps.complete());
        }
        byte[] last = response(99, 4);
        digested.writeBytes(last);
        TsigRecord timers = new TsigRecord(k.name(), k.algorithm().wireName(), now, 300, new byte[0], 99, 0, new byte[0]);
        byte[] mac = Tsig.mac(k, priorMac, digested.toByteArray(), timers.timers());
        assertNull(gaps.verify(Tsig.append(last, timers.withMac(mac)), now));
        assertTrue(gaps.complete());
        // A signed message whose MAC does not chain (the stream restarted) is refused.
        Tsig.StreamVerifier fresh = new Tsig.StreamVerifier(k, q.mac());
        assertNull(fresh.verify(signer(k, q.mac()).sign(response(99, 0), now), now));
        assertEquals("bad MAC (BADSIG)", fresh.verify(signer(k, q.mac()).sign(response(99, 1), now), now));
    }

    static Tsig.StreamSigner signer(TsigKey k, byte[] requestMac) {
        return new Tsig.StreamSigner(k, requestMac, 300);
    }

    static byte[] response(int id, int n) throws Exception {
        Message r = new Message(id);
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        r.addRecord(Record.fromString(org.xbill.DNS.Name.fromConstantString("h" + n + ".example.com."), Type.A,
                DClass.IN, 60, "192.0.2." + (n % 250 + 1), org.xbill.DNS.Name.root), Section.ANSWER);
        return r.toWire();
    }

    @Test
    void badTimeResponseIsSignedAndCarriesOurClock() {
        TsigKey k = key("hmac-sha256");
        Tsig.Signed q = Tsig.sign(query(5), k, null, 1000, 300, 0, new byte[0]);
        Tsig.Rejected r = assertInstanceOf(Tsig.Rejected.class, Tsig.verify(q.message(), ring(k), 5000));
        assertEquals(Tsig.BADTIME, r.error());
        byte[] answer = Tsig.badTime(query(5), k, r.tsig(), 5000);
        Tsig.StreamVerifier v = new Tsig.StreamVerifier(k, q.mac());
        // Our verifier refuses a response carrying a TSIG error, after checking it parses.
        assertEquals("TSIG error 18", v.verify(answer, 1000));
        TsigRecord t = assertInstanceOf(Tsig.Valid.class,
                Tsig.verify(answer, ring(k), 1000, q.mac()), "BADTIME response MAC is valid").tsig();
        assertEquals(1000, t.timeSigned());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0x13, (byte) 0x88}, t.otherData());
    }

    @Test
    void keysParseAndBadOnesNameTheKeyButNotTheSecret() {
        TsigKey k = TsigKey.parse("hmac-sha512:Transfer.Key.:" + SECRET);
        assertEquals(Name.parse("transfer.key."), k.name());
        assertEquals(TsigAlgorithm.HMAC_SHA512, k.algorithm());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TsigKey.parse("hmac-sha256:k1:!!notbase64"));
        assertTrue(bad.getMessage().contains("'k1.'") && !bad.getMessage().contains("notbase64"), bad.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TsigKey.parse("hmac-sha3:k2:" + SECRET))
                .getMessage().contains("'k2.'"));
        assertThrows(IllegalArgumentException.class, () -> TsigKey.parse("k3:" + SECRET));
        assertFalse(k.toString().contains(SECRET));
    }
}
