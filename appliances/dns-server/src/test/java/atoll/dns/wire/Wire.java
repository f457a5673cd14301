package atoll.dns.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HexFormat;

/** Test helpers: hex literals and the "parse or DnsFormatException, nothing else" check. */
final class Wire {
    private Wire() {}

    /** Octets from hex; spaces, newlines and {@code |} separators are ignored. */
    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("[\\s|]", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /**
     * Parses {@code wire}; returns the message, or null if it threw DnsFormatException. Any other
     * throwable fails the test with the input in hex.
     */
    static Message parseOrFormErr(byte[] wire) {
        try {
            return MessageReader.parse(wire);
        } catch (DnsFormatException e) {
            return null;
        } catch (Throwable t) {
            throw new AssertionError("parse threw " + t + " (not DnsFormatException) on " + hex(wire), t);
        }
    }

    /**
     * For a message that parsed: writing it (no truncation) and parsing that gives it back, and
     * writing is deterministic.
     */
    static void assertRewriteRoundTrips(Message m, byte[] origin) {
        byte[] written;
        try {
            written = MessageWriter.toBytes(m);
        } catch (IllegalArgumentException tooBig) {
            // Our writer compresses less than some senders (never SRV targets, never pointers into
            // unknown RDATA), so a parsed message near 64 KiB may not fit again: not a defect.
            return;
        }
        try {
            Message again = MessageReader.parse(written);
            assertEquals(m, again, () -> "rewrite of " + hex(origin) + " as " + hex(written));
            assertEquals(hex(written), hex(MessageWriter.toBytes(again)), "rewrite is not stable");
        } catch (DnsFormatException e) {
            fail("our own output does not parse: " + hex(written) + " from " + hex(origin), e);
        }
    }

    static void assertFormErr(byte[] wire) {
        Message m = parseOrFormErr(wire);
        assertFalse(m != null, () -> "expected FORMERR, parsed " + hex(wire) + " as\n" + m);
    }
}
