package atoll.https.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;

class RequestParserTest {
    static final RequestParser PARSER = new RequestParser(Limits.DEFAULT);

    static ParseResult parse(String s) {
        return PARSER.parse(MemorySegment.ofArray(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static final String GET = "GET /docs/a.html?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept-Encoding: gzip, br\r\n"
            + "User-Agent:   curl/8  \r\n\r\n";

    @Test
    void parsesARequestHead() {
        ParseResult.Parsed p = assertInstanceOf(ParseResult.Parsed.class, parse(GET));
        RequestHead h = p.head();
        assertEquals("GET", h.method());
        assertEquals("/docs/a.html?x=1", h.target());
        assertEquals(1, h.minorVersion());
        assertEquals("example.com", h.field("host").orElseThrow());
        assertEquals("curl/8", h.field("User-Agent").orElseThrow(), "OWS around the value is not part of it");
        assertEquals(GET.length(), p.consumed());
        assertTrue(h.keepAlive());
    }

    /** DESIGN §9.12: the same input cut at every split point gives Incomplete, then the same request. */
    @Test
    void everySplitPointGivesTheSameRequest() {
        byte[] all = GET.getBytes(StandardCharsets.ISO_8859_1);
        RequestHead whole = ((ParseResult.Parsed) parse(GET)).head();
        for (int cut = 0; cut < all.length; cut++) {
            ParseResult part = PARSER.parse(MemorySegment.ofArray(java.util.Arrays.copyOf(all, cut)));
            assertInstanceOf(ParseResult.Incomplete.class, part, "prefix of " + cut + " octets");
        }
        ParseResult.Parsed p = assertInstanceOf(ParseResult.Parsed.class, PARSER.parse(MemorySegment.ofArray(all)));
        assertEquals(whole, p.head());
    }

    @Test
    void pipelinedRequestsAreTakenOneAtATime() {
        String two = GET + "HEAD / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\nGET /x";
        byte[] all = two.getBytes(StandardCharsets.ISO_8859_1);
        List<String> methods = new ArrayList<>();
        int off = 0;
        while (true) {
            ParseResult r = PARSER.parse(MemorySegment.ofArray(all).asSlice(off));
            if (!(r instanceof ParseResult.Parsed p)) {
                assertInstanceOf(ParseResult.Incomplete.class, r);
                break;
            }
            methods.add(p.head().method());
            off += p.consumed();
        }
        assertEquals(List.of("GET", "HEAD"), methods);
        assertEquals("GET /x", two.substring(off));
    }

    @Test
    void leadingEmptyLinesAndBareLfAreAccepted() {
        assertInstanceOf(ParseResult.Parsed.class, parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertInstanceOf(ParseResult.Parsed.class, parse("GET / HTTP/1.1\nHost: a\n\n"));
    }

    @Test
    void http10WithoutHostIsFineAndClosesByDefault() {
        RequestHead h = ((ParseResult.Parsed) parse("GET / HTTP/1.0\r\n\r\n")).head();
        assertEquals(0, h.minorVersion());
        assertEquals(false, h.keepAlive());
        RequestHead k = ((ParseResult.Parsed) parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")).head();
        assertTrue(k.keepAlive());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> malformed() {
        return java.util.stream.Stream.of(
            org.junit.jupiter.params.provider.Arguments.of("no Host in 1.1", "GET / HTTP/1.1\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("bare CR", "GET / HTTP/1.1\rHost: a\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("NUL in value", "GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("bad method", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("no target", "GET  HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("bad version", "GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("HTTP/2 preface line", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
            org.junit.jupiter.params.provider.Arguments.of("TE with CL", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("bad CL", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("differing CLs", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            org.junit.jupiter.params.provider.Arguments.of("TLS handshake on the plain port", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("malformed")
    void malformedRequests(String name, String input, int status) {
        ParseResult.Malformed m = assertInstanceOf(ParseResult.Malformed.class, parse(input), name);
        assertEquals(status, m.status(), m.reason());
    }

    @Test
    void limits() {
        Limits small = new Limits(64, 256, 4);
        RequestParser p = new RequestParser(small);
        String longLine = "GET /" + "a".repeat(100) + " HTTP/1.1\r\n";
        assertEquals(414, ((ParseResult.Malformed) p.parse(bytes(longLine))).status());
        // Even before the line ends: no unbounded buffering of one line.
        assertEquals(414, ((ParseResult.Malformed) p.parse(bytes("GET /" + "a".repeat(100)))).status());
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 4; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        assertEquals(431, ((ParseResult.Malformed) p.parse(bytes(many + "\r\n"))).status());
        String big = "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(300) + "\r\n\r\n";
        assertEquals(431, ((ParseResult.Malformed) p.parse(bytes(big))).status());
        assertEquals(431, ((ParseResult.Malformed) p.parse(bytes(big.substring(0, 290)))).status(),
                "an unfinished head over the limit is refused at once");
    }

    static MemorySegment bytes(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
