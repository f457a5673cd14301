package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.guard.Guards;
import atoll.dns.guard.Peer;
import atoll.dns.guard.RateLimiter;
import atoll.dns.guard.ServerCookies;
import atoll.dns.wire.MessageWriter;
import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.ZoneSet;
import atoll.libos.net.TransportAddress;
import atoll.testkit.FakeClock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/**
 * The engine's guards as dnsjava sees them: DNS cookies (RFC 7873 §5.2, RFC 9018) on the prepared
 * and the general path, and response rate limiting with slip on a fake clock, counted exactly.
 */
class GuardsTest {
    static final byte[] SECRET = HexFormat.of().parseHex("e5e973e5a6b2a43f48e7dc849e37bfcf");
    static final byte[] CLIENT = HexFormat.of().parseHex("2464c4abcf10c957");

    final QueryEngineTest.TestMetrics metrics = new QueryEngineTest.TestMetrics();
    final FakeClock clock = new FakeClock();
    final MessageWriter writer = new MessageWriter();

    QueryEngine engine(boolean enforce, RateLimiter rrl) throws Exception {
        ZoneSet zones = new ZoneSet(List.of(ZoneFileParser.parse(QueryEngineTest.ZONE.formatted("x"), "test.zone",
                atoll.dns.wire.Name.parse("example.com."))));
        return new QueryEngine(zones, EdnsSettings.of(1232), metrics,
                new Guards(new ServerCookies(SECRET, clock), enforce, rrl));
    }

    static Peer peer(String ip) throws Exception {
        return new Peer().from(TransportAddress.of(new InetSocketAddress(InetAddress.getByName(ip), 40000)));
    }

    static Message query(String name, EDNSOption... options) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, 1));
        if (options.length > 0) {
            q.addRecord(new OPTRecord(1232, 0, 0, 0, Arrays.asList(options)), Section.ADDITIONAL);
        }
        return q;
    }

    Message ask(QueryEngine engine, Message q, Transport t, Peer peer) throws Exception {
        MemorySegment out = MemorySegment.ofArray(new byte[65535]);
        int n = engine.respond(MemorySegment.ofArray(q.toWire()), t, out, writer, peer.from(peer.address()));
        return n < 0 ? null : new Message(out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
    }

    static CookieOption cookie(Message r) {
        OPTRecord opt = r.getOPT();
        assertNotNull(opt, "the response carries OPT");
        List<EDNSOption> c = opt.getOptions(EDNSOption.Code.COOKIE);
        assertEquals(1, c.size(), "one COOKIE option in " + r);
        return (CookieOption) c.getFirst();
    }

    @Test
    void aClientCookieAloneGetsAServerCookieThatThenValidates() throws Exception {
        QueryEngine engine = engine(true, null);
        Peer peer = peer("192.0.2.7");
        Message r = ask(engine, query("www.example.com.", new CookieOption(CLIENT)), Transport.UDP, peer);
        assertEquals(Rcode.NOERROR, r.getRcode());
        assertEquals(1, r.getSection(Section.ANSWER).size());
        CookieOption c = cookie(r);
        assertArrayEquals(CLIENT, c.getClientCookie());
        byte[] server = c.getServerCookie().orElseThrow();
        assertEquals(16, server.length);
        assertEquals(1, server[0], "RFC 9018 version 1");
        // Sent back, it is valid: answered, and echoed unchanged while under half an hour old.
        clock.advance(Duration.ofMinutes(10));
        Message again = ask(engine, query("www.example.com.", new CookieOption(CLIENT, server)),
                Transport.UDP, peer);
        assertEquals(Rcode.NOERROR, again.getRcode());
        assertArrayEquals(server, cookie(again).getServerCookie().orElseThrow());
        assertEquals(1, metrics.value("dns.cookie.client-only"));
        assertEquals(1, metrics.value("dns.cookie.valid"));
    }

    @Test
    void noCookieNoCookieOption() throws Exception {
        Message r = ask(engine(true, null), query("www.example.com.", new TcpKeepaliveOption()), Transport.UDP,
                peer("192.0.2.7"));
        assertEquals(Rcode.NOERROR, r.getRcode());
        assertTrue(r.getOPT().getOptions(EDNSOption.Code.COOKIE).isEmpty());
    }

    @Test
    void aWrongServerCookieOverUdpGetsBadcookieWithAFreshOneWhenEnforced() throws Exception {
        QueryEngine engine = engine(true, null);
        Peer peer = peer("192.0.2.7");
        byte[] wrong = new byte[16];
        wrong[0] = 1;
        Message r = ask(engine, query("www.example.com.", new CookieOption(CLIENT, wrong)),
                Transport.UDP, peer);
        assertEquals(Rcode.BADCOOKIE, r.getRcode());
        assertTrue(r.getSection(Section.ANSWER).isEmpty());
        byte[] fresh = cookie(r).getServerCookie().orElseThrow();
        assertFalse(Arrays.equals(wrong, fresh));
        // Retried with the fresh cookie, as dig does: answered.
        Message retry = ask(engine, query("www.example.com.", new CookieOption(CLIENT, fresh)),
                Transport.UDP, peer);
        assertEquals(Rcode.NOERROR, retry.getRcode());
        // Over TCP the same wrong cookie is answered normally, with a fresh cookie (general path:
        // the keepalive option over TCP makes it so).
        Message tcp = ask(engine, query("www.example.com.", new CookieOption(CLIENT, wrong),
                new TcpKeepaliveOption()), Transport.TCP, peer);
        assertEquals(Rcode.NOERROR, tcp.getRcode());
        assertEquals(1, tcp.getSection(Section.ANSWER).size());
        assertEquals(16, cookie(tcp).getServerCookie().orElseThrow().length);
        assertEquals(1, metrics.value("dns.cookie.badcookie-sent"));
    }

    @Test
    void aWrongServerCookieIsAnsweredNormallyWhenNotEnforced() throws Exception {
        Message r = ask(engine(false, null), query("www.example.com.",
                new CookieOption(CLIENT, new byte[16])), Transport.UDP, peer("192.0.2.7"));
        assertEquals(Rcode.NOERROR, r.getRcode());
        assertEquals(1, r.getSection(Section.ANSWER).size());
        assertEquals(16, cookie(r).getServerCookie().orElseThrow().length);
        assertEquals(1, metrics.value("dns.cookie.invalid"));
    }

    @Test
    void aMalformedCookieIsFormerr() throws Exception {
        for (int n : new int[] {7, 9, 41}) {
            Message r = ask(engine(false, null), query("www.example.com.", new GenericEDNSOption(10, new byte[n])),
                    Transport.UDP, peer("192.0.2.7"));
            assertEquals(Rcode.FORMERR, r.getRcode(), n + " octets");
            assertTrue(r.getSection(Section.ANSWER).isEmpty());
        }
    }

    @Test
    void rateLimitingDropsAndSlipsExactlyPerPrefixAndSecond() throws Exception {
        // 5 responses a second; every 2nd limited response slips (TC=1), the others are dropped.
        QueryEngine engine = engine(false, new RateLimiter(clock, 5, 2, 1024, 24, 56));
        Peer a = peer("192.0.2.1");
        Peer sameSlash24 = peer("192.0.2.200");
        int answered = 0;
        int slipped = 0;
        int dropped = 0;
        for (int i = 0; i < 20; i++) {
            Message r = ask(engine, query("www.example.com."), Transport.UDP, i % 2 == 0 ? a : sameSlash24);
            if (r == null) {
                dropped++;
            } else if (r.getHeader().getFlag(Flags.TC)) {
                assertTrue(r.getSection(Section.ANSWER).isEmpty());
                assertEquals(1, r.getSection(Section.QUESTION).size());
                slipped++;
            } else {
                answered++;
            }
        }
        assertEquals(5, answered);
        assertEquals(7, slipped); // limited responses 2, 4, ..., 14 of 15
        assertEquals(8, dropped);
        assertEquals(7, metrics.value("dns.rrl.slipped"));
        assertEquals(8, metrics.value("dns.rrl.dropped"));
        // Another /24 has its own bucket; so has another response class from the same prefix.
        assertNotNull(ask(engine, query("www.example.com."), Transport.UDP, peer("192.0.3.1")));
        Message nx = ask(engine, query("nope.example.com."), Transport.UDP, a);
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        // TCP is never limited; a new second refills the bucket.
        assertEquals(1, ask(engine, query("www.example.com."), Transport.TCP, a).getSection(Section.ANSWER).size());
        clock.advance(Duration.ofSeconds(1));
        Message later = ask(engine, query("www.example.com."), Transport.UDP, a);
        assertFalse(later.getHeader().getFlag(Flags.TC));
        assertEquals(1, later.getSection(Section.ANSWER).size());
    }

    @Test
    void aSlippedEdnsAnswerKeepsItsOptAndAValidCookieIsNotLimited() throws Exception {
        QueryEngine engine = engine(false, new RateLimiter(clock, 1, 1, 1024, 24, 56));
        Peer a = peer("2001:db8:1:2::5");
        assertNotNull(ask(engine, query("www.example.com.", new CookieOption(CLIENT)), Transport.UDP, a));
        Message slipped = ask(engine, query("www.example.com.", new CookieOption(CLIENT)), Transport.UDP, a);
        assertTrue(slipped.getHeader().getFlag(Flags.TC));
        assertNotNull(slipped.getOPT(), "the truncated answer keeps an OPT");
        // 2001:db8:1::/56 holds both (2 and ff differ only in the fourth group's low octet): one bucket.
        Message neighbour = ask(engine, query("www.example.com."), Transport.UDP, peer("2001:db8:1:ff::9"));
        assertTrue(neighbour.getHeader().getFlag(Flags.TC));
        // A client proving its address with a valid cookie is answered in full.
        Message first = ask(engine(false, null), query("www.example.com.", new CookieOption(CLIENT)), Transport.UDP, a);
        byte[] server = cookie(first).getServerCookie().orElseThrow();
        for (int i = 0; i < 3; i++) {
            Message r = ask(engine, query("www.example.com.", new CookieOption(CLIENT, server)),
                    Transport.UDP, a);
            assertFalse(r.getHeader().getFlag(Flags.TC));
            assertEquals(1, r.getSection(Section.ANSWER).size());
        }
    }
}
