package atoll.libos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void stringsTakeTextAsIs() {
        assertEquals(" a b ", ValueTypes.string().parse(" a b "));
        assertEquals("", ValueTypes.string().parse(""));
        assertEquals("x", ValueTypes.nonEmptyString().parse(" x "));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.nonEmptyString().parse("  "));
    }

    @Test
    void integerChecksRange() {
        ValueType<Integer> t = ValueTypes.integer(-5, 10);
        assertEquals(-5, t.parse("-5"));
        assertEquals(10, t.parse("10"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("11"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("-6"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("1.5"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("99999999999"));
        assertThrows(IllegalArgumentException.class, () -> t.parse(""));
        // Other scripts' digits are no numbers (ARABIC-INDIC DIGIT THREE, DEVANAGARI DIGIT ONE).
        assertThrows(IllegalArgumentException.class, () -> t.parse("\u0663"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("\u0967"));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.port().parse("5\u0663"));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.duration().parse("\u0663s"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("+5"));
        assertEquals("an integer from -5 to 10", t.accepted());
    }

    @Test
    void ports() {
        assertEquals(53, ValueTypes.port().parse("53"));
        assertEquals(65535, ValueTypes.port().parse("65535"));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.port().parse("0"));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.port().parse("65536"));
        assertEquals(0, ValueTypes.portOrZero().parse("0"));
        assertEquals("an integer from 1 to 65535", ValueTypes.port().accepted());
        assertEquals("an integer from 0 to 65535", ValueTypes.portOrZero().accepted());
        assertEquals("port", ValueTypes.port().name());
    }

    @Test
    void booleans() {
        ValueType<Boolean> t = ValueTypes.bool();
        for (String yes : List.of("true", "YES", "On")) {
            assertEquals(true, t.parse(yes), yes);
        }
        for (String no : List.of("false", "no", "OFF")) {
            assertEquals(false, t.parse(no), no);
        }
        assertThrows(IllegalArgumentException.class, () -> t.parse("1"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("maybe"));
    }

    @Test
    void durations() {
        ValueType<Duration> t = ValueTypes.duration();
        assertEquals(Duration.ofMillis(500), t.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), t.parse("10s"));
        assertEquals(Duration.ofMinutes(5), t.parse("5m"));
        assertEquals(Duration.ofHours(1), t.parse("1h"));
        assertEquals(Duration.ofSeconds(30), t.parse("30"));
        assertEquals(Duration.ZERO, t.parse("0"));
        for (String bad : List.of("", "-1s", "1.5s", "10 s", "5d", "s", "ms")) {
            assertThrows(IllegalArgumentException.class, () -> t.parse(bad), bad);
        }
        assertEquals("500ms", t.format(Duration.ofMillis(500)));
        assertEquals("5s", t.format(Duration.ofSeconds(5)));
        assertEquals("90s", t.format(Duration.ofSeconds(90)));
        assertEquals("2m", t.format(Duration.ofMinutes(2)));
        assertEquals("1h", t.format(Duration.ofHours(1)));
        assertEquals("0s", t.format(Duration.ZERO));
    }

    @Test
    void durationsInARangeRefuseZeroWhenTheRangeDoes() {
        ValueType<Duration> t = ValueTypes.duration(Duration.ofMillis(1), Duration.ofHours(1));
        assertEquals(Duration.ofMillis(1), t.parse("1ms"));
        assertEquals(Duration.ofHours(1), t.parse("60m"));
        for (String bad : List.of("0", "0s", "0ms", "61m", "2h", "-1s", "x")) {
            assertThrows(IllegalArgumentException.class, () -> t.parse(bad), bad);
        }
        assertTrue(t.accepted().contains("1ms to 1h"), t.accepted());
        assertEquals("10s", t.format(Duration.ofSeconds(10)));
    }

    @Test
    void addressesAreLiteralsOnly() throws Exception {
        ValueType<InetAddress> t = ValueTypes.inetAddress();
        assertEquals(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), t.parse("127.0.0.1"));
        assertEquals(InetAddress.getByAddress(new byte[] {0, 0, 0, 0}), t.parse("0.0.0.0"));
        byte[] loop6 = new byte[16];
        loop6[15] = 1;
        assertEquals(InetAddress.getByAddress(loop6), t.parse("::1"));
        assertEquals(InetAddress.getByAddress(loop6), t.parse("[::1]"));
        assertEquals("2001:db8::1", t.format(t.parse("2001:db8:0:0:0:0:0:1"))); // RFC 5952 text
        for (String bad : List.of("localhost", "example.com", "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5",
                "", ":::1:::", "g::1", ".:")) {
            assertThrows(IllegalArgumentException.class, () -> t.parse(bad), bad);
        }
    }

    @Test
    void lists() {
        ValueType<List<Integer>> t = ValueTypes.listOf(ValueTypes.port());
        assertEquals(List.of(53, 853), t.parse(" 53 , 853"));
        assertEquals(List.of(), t.parse(""));
        assertEquals(List.of(), t.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> t.parse("53,"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("53,x"));
        assertEquals("53,853", t.format(List.of(53, 853)));
        assertEquals("list of port", t.name());
        assertEquals("a comma-separated list, each an integer from 1 to 65535", t.accepted());
    }

    @Test
    void nonEmptyLists() {
        ValueType<List<Integer>> t = ValueTypes.nonEmptyListOf(ValueTypes.port());
        assertEquals(List.of(53, 853), t.parse("53,853"));
        assertThrows(IllegalArgumentException.class, () -> t.parse(""));
        assertThrows(IllegalArgumentException.class, () -> t.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> t.parse("53,"));
        assertEquals("53", t.format(List.of(53)));
        assertEquals("a non-empty comma-separated list, each an integer from 1 to 65535", t.accepted());
    }

    @Test
    void enums() {
        ValueType<String> t = ValueTypes.enumOf("udp", "tcp");
        assertEquals("tcp", t.parse("tcp"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("TCP"));
        assertEquals("one of udp, tcp", t.accepted());
    }

    @Test
    void logLevels() {
        ValueType<System.Logger.Level> t = ValueTypes.logLevel();
        assertEquals(System.Logger.Level.DEBUG, t.parse("debug"));
        assertEquals(System.Logger.Level.WARNING, t.parse("Warning"));
        assertEquals(System.Logger.Level.OFF, t.parse("OFF"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("warn"));
        assertEquals("info", t.format(System.Logger.Level.INFO));
        assertTrue(t.accepted().contains("trace, debug, info, warning, error, off"), t.accepted());
    }

    @Test
    void paths() {
        assertEquals(Path.of("state"), ValueTypes.path().parse("state"));
        assertEquals(Path.of("/var/lib/x"), ValueTypes.path().parse(" /var/lib/x "));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.path().parse(""));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.path().parse("a\0b"));
    }

    @Test
    void badValueMessageNamesKeyValueAndAccepted() {
        ConfigKey<Integer> port = ConfigKey.of("dns.port", ValueTypes.port(), 53, "port to answer on");
        ConfigException e = assertThrows(ConfigException.class, () -> Config.of(List.of(port), java.util.Map.of("dns.port", "70000")));
        assertEquals("dns.port", e.key());
        assertTrue(e.getMessage().contains("'70000'"), e.getMessage());
        assertTrue(e.getMessage().contains("dns.port"), e.getMessage());
        assertTrue(e.getMessage().contains("an integer from 1 to 65535"), e.getMessage());
    }
}
