package atoll.dns.wire;

import static atoll.dns.wire.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * parse(write(m)) == m over seeded random messages, the stream split-point rule (no strict prefix
 * of a message parses), and robustness (mutated octets yield a message or DnsFormatException).
 */
class RoundTripPropertyTest {
    static final long SEED = 0x5eed_d15cL;
    static final int MESSAGES = 2000;

    @Test
    void parseOfWriteIsIdentity() throws Exception {
        MessageGenerator gen = new MessageGenerator(SEED);
        MessageWriter writer = new MessageWriter(); // reused: its tables must reset per message
        byte[] buffer = new byte[MessageWriter.MAX_LIMIT];
        for (int i = 0; i < MESSAGES; i++) {
            Message m = gen.next();
            byte[] wire = MessageWriter.toBytes(m);
            Message back = MessageReader.parse(wire);
            int n = i;
            assertEquals(m, back, () -> "message " + n + " written as " + hex(wire));
            // writing the parsed message again gives the same octets (case from first occurrences)
            assertEquals(hex(wire), hex(MessageWriter.toBytes(back)), "message " + i);
            // the reusable writer agrees with a fresh one
            MessageWriter.WriteResult r = writer.write(m, MemorySegment.ofArray(buffer), MessageWriter.MAX_LIMIT);
            assertFalse(r.truncated());
            assertEquals(hex(wire), hex(java.util.Arrays.copyOf(buffer, r.length())));
        }
    }

    @Test
    void parsesInPlaceFromOffHeapSlices() throws Exception {
        MessageGenerator gen = new MessageGenerator(SEED + 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(MessageWriter.MAX_LIMIT + 100);
            MessageWriter writer = new MessageWriter();
            for (int i = 0; i < 200; i++) {
                Message m = gen.next();
                // the message sits at an odd offset inside a larger buffer, like a UDP payload
                MemorySegment slice = buffer.asSlice(37);
                MessageWriter.WriteResult r = writer.write(m, slice, MessageWriter.MAX_LIMIT);
                assertEquals(m, MessageReader.parse(slice.asSlice(0, r.length())));
            }
        }
    }

    @Test
    void everyStrictPrefixIsRejected() {
        MessageGenerator gen = new MessageGenerator(SEED);
        for (int i = 0; i < MESSAGES / 4; i++) {
            byte[] wire = MessageWriter.toBytes(gen.next());
            assertTrue(Wire.parseOrFormErr(wire) != null);
            for (int cut = 0; cut < wire.length; cut++) {
                Wire.assertFormErr(java.util.Arrays.copyOf(wire, cut));
            }
        }
    }

    @Test
    void trailingOctetsAreRejected() {
        MessageGenerator gen = new MessageGenerator(SEED);
        for (int i = 0; i < 100; i++) {
            byte[] wire = MessageWriter.toBytes(gen.next());
            Wire.assertFormErr(java.util.Arrays.copyOf(wire, wire.length + 1));
        }
    }

    @Test
    void mutatedMessagesParseOrFailWithFormErrOnly() {
        MessageGenerator gen = new MessageGenerator(SEED);
        Random random = new Random(SEED);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < MESSAGES; i++) {
            byte[] wire = MessageWriter.toBytes(gen.next());
            for (int k = 0; k < 10; k++) {
                byte[] mutant = mutate(wire, random);
                Message m = Wire.parseOrFormErr(mutant);
                if (m == null) {
                    rejected++;
                } else {
                    parsed++;
                    Wire.assertRewriteRoundTrips(m, mutant);
                }
            }
        }
        // the mutations exercise both outcomes (else the test would prove little)
        assertTrue(parsed > 1000 && rejected > 1000, "parsed " + parsed + ", rejected " + rejected);
    }

    static byte[] mutate(byte[] wire, Random random) {
        byte[] m = wire.clone();
        switch (random.nextInt(4)) {
            case 0 -> { // flip a few bits
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    int at = random.nextInt(m.length);
                    m[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // overwrite a byte with something interesting
                int[] values = {0x00, 0x3f, 0x40, 0x80, 0xc0, 0xc0 | random.nextInt(0x40), 0xff};
                m[random.nextInt(m.length)] = (byte) values[random.nextInt(values.length)];
            }
            case 2 -> { // bump a header count
                int field = 4 + 2 * random.nextInt(4);
                m[field + 1] += (byte) (random.nextBoolean() ? 1 : -1);
            }
            default -> { // truncate, then flip
                m = java.util.Arrays.copyOf(m, random.nextInt(m.length + 1));
                if (m.length > 0) {
                    m[random.nextInt(m.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return m;
    }
}
