package atoll.https.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SitePathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/|''",
        "/index.html|index.html",
        "/docs/|docs",
        "/docs/./a.txt|docs/a.txt",
        "/docs/x/../a.txt|docs/a.txt",
        "/docs/%2e%2e/a.txt|a.txt",
        "/a%20b.txt|a b.txt",
        "/caf%C3%A9.html|café.html",
        "//docs//a.txt|docs/a.txt",
        "http://example.com/docs/a.txt?q|docs/a.txt",
        "/a.txt?x=../../etc/passwd|a.txt",
    })
    void staysInside(String target, String key) {
        SitePath.Inside in = assertInstanceOf(SitePath.Inside.class, SitePath.parse(target));
        assertEquals(key, in.key());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/..", "/../etc/passwd", "/docs/../../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E%2Fetc%2Fpasswd",
        "/docs/%2f..%2f..%2fetc", "/..%5c..%5cwindows", "/a%5c..%5c..%5cb", "/a\\b", "/%00", "/a%00.html",
        "/%c0%ae%c0%ae/etc/passwd", "/%c0%af", "/%e0%80%ae", "/%ff", "/%", "/%4", "/%zz", "*", "etc/passwd",
        "/a#frag",
    })
    void refused(String target) {
        assertInstanceOf(SitePath.Refused.class, SitePath.parse(target), target);
    }

    @org.junit.jupiter.api.Test
    void encodedPathRoundTrips() {
        SitePath.Inside in = (SitePath.Inside) SitePath.parse("/caf%C3%A9/a%20b");
        assertEquals("/caf%C3%A9/a%20b", in.encodedPath());
    }
}
