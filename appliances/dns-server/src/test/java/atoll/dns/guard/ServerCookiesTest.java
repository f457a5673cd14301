package atoll.dns.guard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import atoll.libos.net.TransportAddress;
import atoll.testkit.FakeClock;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** SipHash-2-4 against the paper's vectors, and the server cookie against RFC 9018 Appendix A. */
class ServerCookiesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String SECRET_A = "e5e973e5a6b2a43f48e7dc849e37bfcf";

    @Test
    void sipHashMatchesTheReferenceVectors() {
        byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] msg = new byte[64];
        for (int i = 0; i < msg.length; i++) {
            msg[i] = (byte) i;
        }
        // The paper's Appendix A: the 15-octet message 00..0e gives a129ca6149be45e5.
        assertEquals(0xa129ca6149be45e5L, SipHash24.hash(SipHash24.k0(key), SipHash24.k1(key), msg, 0, 15));
        // The reference implementation's vectors, output octets little-endian: empty, 8 and 63 octets.
        byte[] out = new byte[8];
        SipHash24.writeLe(SipHash24.hash(SipHash24.k0(key), SipHash24.k1(key), msg, 0, 0), out, 0);
        assertEquals("310e0edd47db6f72", HEX.formatHex(out));
        SipHash24.writeLe(SipHash24.hash(SipHash24.k0(key), SipHash24.k1(key), msg, 0, 8), out, 0);
        assertEquals("6224939a79f5f593", HEX.formatHex(out));
        SipHash24.writeLe(SipHash24.hash(SipHash24.k0(key), SipHash24.k1(key), msg, 0, 63), out, 0);
        assertEquals("724506eb4c328a95", HEX.formatHex(out));
    }

    @Test
    void a1LearningANewServerCookie() throws Exception {
        Peer peer = peer("198.51.100.100");
        assertEquals(CookieVerdict.CLIENT_ONLY, cookies(SECRET_A, 1559731985).check(opt("2464c4abcf10c957"), 0, 8, peer));
        assertEquals("2464c4abcf10c957010000005cf79f111f8130c3eee29480", HEX.formatHex(peer.replyCookie()));
    }

    @Test
    void a2TheSameClientRenewsAfterHalfAnHour() throws Exception {
        Peer peer = peer("198.51.100.100");
        String held = "2464c4abcf10c957010000005cf79f111f8130c3eee29480";
        // 40 minutes later: still valid (under an hour), but worn (over half an hour): renewed.
        assertEquals(CookieVerdict.VALID, cookies(SECRET_A, 1559734385).check(opt(held), 0, 24, peer));
        assertEquals("2464c4abcf10c957010000005cf7a871d4a564a1442aca77", HEX.formatHex(peer.replyCookie()));
    }

    @Test
    void a3AnotherClientWithReservedOctetsSet() throws Exception {
        Peer peer = peer("203.0.113.203");
        String held = "fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5";
        // Its timestamp (0x5cf78f71) is 6715 s old at the RFC's time: past the hour, so replaced.
        assertEquals(CookieVerdict.INVALID, cookies(SECRET_A, 1559734700).check(opt(held), 0, 24, peer));
        assertEquals("fc93fc62807ddb86010000005cf7a9acf73a7810aca2381e", HEX.formatHex(peer.replyCookie()));
        // A minute after it was made it holds: the reserved octets the client set are hashed as sent.
        assertEquals(CookieVerdict.VALID, cookies(SECRET_A, 0x5cf78f71L + 60).check(opt(held), 0, 24, peer));
        assertEquals(held, HEX.formatHex(peer.replyCookie()));
        // The same cookie from another address is not ours.
        Peer other = peer("203.0.113.204");
        assertEquals(CookieVerdict.INVALID, cookies(SECRET_A, 0x5cf78f71L + 60).check(opt(held), 0, 24, other));
    }

    @Test
    void a4Ipv6AfterTheSecretRolledOver() throws Exception {
        Peer peer = peer("2001:db8:220:1:59de:d0f4:8769:82b8");
        String held = "22681ab97d52c298010000005cf7c57926556bd0934c72f8";
        // Made with the old secret: valid under it ...
        assertEquals(CookieVerdict.VALID,
                cookies("dd3bdf9344b678b185a6f5cb60fca715", 1559741961).check(opt(held), 0, 24, peer));
        // ... not under the new one, which makes a fresh cookie: the RFC's reply.
        assertEquals(CookieVerdict.INVALID,
                cookies("445536bcd2513298075a5d379663c962", 1559741961).check(opt(held), 0, 24, peer));
        assertEquals("22681ab97d52c298010000005cf7c609a6bb79d16625507a", HEX.formatHex(peer.replyCookie()));
    }

    @Test
    void aFreshValidCookieIsEchoedAndExpiresAfterAnHour() throws Exception {
        FakeClock clock = new FakeClock(Instant.ofEpochSecond(1559731985));
        ServerCookies c = new ServerCookies(HEX.parseHex(SECRET_A), clock);
        Peer peer = peer("198.51.100.100");
        String held = "2464c4abcf10c957010000005cf79f111f8130c3eee29480";
        clock.advance(Duration.ofMinutes(29));
        assertEquals(CookieVerdict.VALID, c.check(opt(held), 0, 24, peer));
        assertEquals(held, HEX.formatHex(peer.replyCookie()), "under half an hour old: kept");
        clock.advance(Duration.ofMinutes(31).plusSeconds(1));
        assertEquals(CookieVerdict.INVALID, c.check(opt(held), 0, 24, peer), "an hour and a second old");
        // A timestamp more than five minutes ahead is refused too.
        ServerCookies early = new ServerCookies(HEX.parseHex(SECRET_A), new FakeClock(Instant.ofEpochSecond(1559731985 - 301)));
        assertEquals(CookieVerdict.INVALID, early.check(opt(held), 0, 24, peer));
        ServerCookies skew = new ServerCookies(HEX.parseHex(SECRET_A), new FakeClock(Instant.ofEpochSecond(1559731985 - 300)));
        assertEquals(CookieVerdict.VALID, skew.check(opt(held), 0, 24, peer));
    }

    @Test
    void lengthsRfc7873CallsMalformed() throws Exception {
        ServerCookies c = cookies(SECRET_A, 1559731985);
        Peer peer = peer("198.51.100.100");
        for (int n : new int[] {0, 7, 9, 15, 41}) {
            assertEquals(CookieVerdict.MALFORMED, c.check(MemorySegment.ofArray(new byte[n]), 0, n, peer), n + " octets");
        }
        for (int n : new int[] {16, 40}) {
            assertEquals(CookieVerdict.INVALID, c.check(MemorySegment.ofArray(new byte[n]), 0, n, peer), n + " octets");
        }
        assertArrayEquals(new byte[8], java.util.Arrays.copyOf(peer.replyCookie(), 8), "the client cookie is echoed");
    }

    static ServerCookies cookies(String secret, long epochSecond) {
        return new ServerCookies(HEX.parseHex(secret), new FakeClock(Instant.ofEpochSecond(epochSecond)));
    }

    static Peer peer(String ip) throws Exception {
        return new Peer().from(TransportAddress.of(new InetSocketAddress(InetAddress.getByName(ip), 5353)));
    }

    private static MemorySegment opt(String hex) {
        return MemorySegment.ofArray(HEX.parseHex(hex));
    }
}
