package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.Name;
import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.AnswerStyle;
import atoll.dns.zone.ZoneSet;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the allocation-free path against the general one: for thousands of queries
 * (every name of two zones and names below them, in mixed case; many types; with and without EDNS,
 * RD, CD; over UDP and TCP) {@link QueryEngine#respond} must write exactly the octets
 * {@link QueryEngine#respondGeneral} writes — whichever path answered.
 */
class PreparedPathTest {
    static final String PARENT = """
            $ORIGIN example.com.
            $TTL 3600
            @        IN SOA ns1 hostmaster 2026112701 7200 3600 1209600 300
                     IN NS  ns1
                     IN NS  ns2.example.net.
                     IN MX  10 mail
                     IN MX  20 mail.example.net.
                     IN TXT "v=spf1 mx -all"
            ns1      IN A   192.0.2.53
            ns1      IN AAAA 2001:db8::53
            mail     IN A   192.0.2.25
            www      IN A   192.0.2.80
            www      IN AAAA 2001:db8::80
            ftp      IN CNAME www
            out      IN CNAME www.example.net.
            a.b.c    IN A   192.0.2.9
            sub      IN NS  ns.sub
            sub      IN NS  ns1
            sub      IN TYPE43 \\# 4 30390802
            ns.sub   IN A   192.0.2.99
            *.wild   IN A   192.0.2.77
            *.wild   IN MX  5 mail
            *.wild   IN TXT "synthesized"
            x.*.ent  IN A   192.0.2.66
            *.alias  IN CNAME www
            _sip._udp IN SRV 10 60 5060 sip
            sip      IN A   192.0.2.60
            child    IN NS  ns1
            @        IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=
            @        IN NSEC3PARAM 1 0 0 -
            @        IN CAA 0 issue "ca.example.net"
            www      IN RRSIG A 13 3 3600 20261201000000 20261101000000 12345 example.com. AAAA
            www      IN NSEC ftp.example.com. A AAAA RRSIG NSEC
            www      IN SSHFP 4 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            _443._tcp.www IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            sub      IN DS  60485 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            dn       IN DNAME example.net.
            dn2      IN DNAME b.c
            dn2      IN TXT "beside the DNAME"
            enum     IN NAPTR 100 10 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .
            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom IN NSEC3 1 1 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG
            *.wild   IN CAA 0 issuewild ";"
            """;
    static final String CHILD = """
            $ORIGIN child.example.com.
            $TTL 600
            @        IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 60
                     IN NS  ns1.example.com.
            host     IN A   198.51.100.1
            """;

    final QueryEngine engine;
    /** The same zones with non-minimal answers, an NSID and a keepalive timeout to signal. */
    final QueryEngine nonMinimal;
    final List<String> names = new ArrayList<>();

    PreparedPathTest() throws Exception {
        StringBuilder parent = new StringBuilder(PARENT);
        for (int i = 0; i < 80; i++) {
            parent.append("many IN A 192.0.2.").append(i + 1).append('\n'); // too big for 512
        }
        List<atoll.dns.zone.Zone> zones = List.of(
                ZoneFileParser.parse(parent.toString(), "parent.zone", Name.parse("example.com.")),
                ZoneFileParser.parse(CHILD, "child.zone", Name.parse("child.example.com.")));
        engine = new QueryEngine(new ZoneSet(zones), 1232, new QueryEngineTest().metrics);
        nonMinimal = new QueryEngine(new ZoneSet(zones, AnswerStyle.WITH_AUTHORITY),
                new EdnsSettings(1232, "ns-a".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        java.time.Duration.ofSeconds(30)),
                new QueryEngineTest().metrics);
        for (String n : List.of("example.com", "ns1", "mail", "www", "ftp", "out", "a.b.c", "b.c", "c",
                "sub", "x.sub", "y.x.sub", "ns.sub", "wild", "any.wild", "two.l.wild", "*.wild", "ent",
                "*.ent", "q.ent", "x.*.ent", "z.alias", "_sip._udp", "_udp", "sip", "many", "nope", "no.pe",
                "child", "host.child", "nope.child", "deep.host.child", "_443._tcp.www", "_tcp.www", "dn", "x.dn",
                "dn2", "a.dn2", "b.a.dn2", "q.*.dn2",
                "enum", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom")) {
            names.add(n.equals("example.com") ? "example.com." : n + ".example.com.");
        }
        names.add("example.org.");
        names.add("com.");
        names.add(".");
    }

    static final int[] TYPES = {1, 2, 5, 6, 12, 15, 16, 28, 33, 35, 39, 43, 44, 46, 47, 48, 50, 51, 52, 99,
            257, 255, 41, 252, 65535};

    @Test
    void everyQueryGetsTheOctetsOfTheGeneralPath() {
        sameOctetsOnBothPaths(engine);
    }

    @Test
    void nonMinimalAnswersNsidAndKeepaliveGetTheOctetsOfTheGeneralPath() {
        sameOctetsOnBothPaths(nonMinimal);
    }

    void sameOctetsOnBothPaths(QueryEngine engine) {
        Random rnd = new Random(20261128);
        MessageWriter fast = new MessageWriter();
        MessageWriter general = new MessageWriter();
        MemorySegment a = MemorySegment.ofArray(new byte[65535]);
        MemorySegment b = MemorySegment.ofArray(new byte[65535]);
        int compared = 0;
        int prepared = 0;
        for (String name : names) {
            for (int type : TYPES) {
                for (int v = 0; v < VARIANTS; v++) {
                    int variant = v;
                    byte[] q = query(rnd, mixCase(rnd, name), type, variant);
                    for (Transport t : Transport.values()) {
                        MemorySegment in = MemorySegment.ofArray(q);
                        int n = engine.respond(in, t, a, fast);
                        int m = engine.respondGeneral(in, t, b, general);
                        assertEquals(m, n, () -> name + " type " + type + " variant " + variant + " " + t);
                        assertArrayEquals(b.asSlice(0, Math.max(m, 0)).toArray(ValueLayout.JAVA_BYTE),
                                a.asSlice(0, Math.max(n, 0)).toArray(ValueLayout.JAVA_BYTE),
                                () -> name + " type " + type + " variant " + variant + " " + t);
                        if (fast.queryView().wrap(in) && engine.respondPrepared(fast.queryView(), t, a, fast) >= 0) {
                            prepared++;
                        }
                        compared++;
                    }
                }
            }
        }
        // The comparison means something only if both paths were really taken.
        assertTrue(prepared > compared / 3, prepared + " of " + compared + " prepared");
        assertTrue(prepared < compared, prepared + " of " + compared + " prepared");
    }

    @Test
    void theCommonQueriesTakeThePreparedPath() {
        MessageWriter w = new MessageWriter();
        MemorySegment out = MemorySegment.ofArray(new byte[65535]);
        Random rnd = new Random(1);
        for (String name : List.of("www.example.com.", "nope.example.com.", "x.sub.example.com.",
                "any.wild.example.com.", "host.child.example.com.", "example.org.", "ent.example.com.")) {
            for (int variant : new int[] {0, 1}) {
                MemorySegment q = MemorySegment.ofArray(query(rnd, name, 1, variant));
                assertTrue(w.queryView().wrap(q), name);
                assertTrue(engine.respondPrepared(w.queryView(), Transport.UDP, out, w) > 0, name);
            }
        }
    }

    static String mixCase(Random rnd, String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(rnd.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }

    static final int VARIANTS = 14;

    /**
     * A query for {@code name}/{@code type}: variant 0 plain; 1 EDNS 1232; 2 EDNS 512 with DO;
     * 3 EDNS 100 (below 512); 4 EDNS 4096 with an option; 5 EDNS version 1; 6 RD and CD set;
     * 7 class CH; 8 class ANY; 9 opcode NOTIFY; 10 a response (QR); 11 trailing octet; 12 EDNS
     * with an empty NSID option (RFC 5001); 13 EDNS with an empty edns-tcp-keepalive option (RFC 7828).
     */
    static byte[] query(Random rnd, String name, int type, int variant) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int flags = switch (variant) {
            case 6 -> 0x0110;
            case 9 -> 4 << 11;
            case 10 -> 0x8000;
            default -> rnd.nextBoolean() ? 0x0100 : 0;
        };
        boolean opt = (variant >= 1 && variant <= 5) || variant >= 12;
        u16(o, rnd.nextInt(65536));
        u16(o, flags);
        u16(o, 1);
        u16(o, 0);
        u16(o, 0);
        u16(o, opt ? 1 : 0);
        o.writeBytes(wire(name));
        u16(o, type);
        u16(o, variant == 7 ? 3 : variant == 8 ? 255 : 1);
        if (opt) {
            o.write(0);
            u16(o, 41);
            u16(o, switch (variant) { case 1 -> 1232; case 2 -> 512; case 3 -> 100; default -> 4096; });
            o.write(0); // extended RCODE
            o.write(variant == 5 ? 1 : 0); // version
            u16(o, variant == 2 ? 0x8000 : 0); // DO
            if (variant == 4) {
                u16(o, 12); // RFC 7830 padding option of 4 octets
                u16(o, 4);
                u16(o, 8);
                u16(o, 4);
                o.writeBytes(new byte[4]);
            } else if (variant >= 12) {
                u16(o, 4);
                u16(o, variant == 12 ? 3 : 11); // NSID or edns-tcp-keepalive, no data
                u16(o, 0);
            } else {
                u16(o, 0);
            }
        }
        if (variant == 11) {
            o.write(0);
        }
        return o.toByteArray();
    }

    static byte[] wire(String name) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (!name.equals(".")) {
            for (String label : name.substring(0, name.length() - 1).split("\\.")) {
                o.write(label.length());
                o.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        o.write(0);
        return o.toByteArray();
    }

    static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }
}
