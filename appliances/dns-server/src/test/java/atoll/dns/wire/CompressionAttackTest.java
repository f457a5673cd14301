package atoll.dns.wire;

import static atoll.dns.wire.Wire.assertFormErr;
import static atoll.dns.wire.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Hostile names (RFC 1035 §4.1.4 pointers, §2.3.4 limits, reserved label types): all FORMERR. */
class CompressionAttackTest {
    /** Header with QDCOUNT and ANCOUNT as given. */
    static String header(int qd, int an) {
        return String.format("0001 0000 %04x %04x 0000 0000", qd, an);
    }

    @Test
    void pointerToItself() {
        assertFormErr(hex(header(1, 0) + "c00c 0001 0001"));
    }

    @Test
    void pointerLoopBetweenTwoNames() {
        // name 1 at 12: "a" + pointer to 20; name 2 at 20: "b" + pointer to 12.
        assertFormErr(hex(header(2, 0) + "0161 c014 0001 0001" + "0162 c00c 0001 0001"));
    }

    @Test
    void pointerForwardToAValidName() {
        // name 1 points at name 2, which follows it and is well formed: still refused.
        assertFormErr(hex(header(2, 0) + "c010 0001 0001" + "0161 00 0001 0001"));
    }

    @Test
    void pointerBackwardIntoItsOwnLabels() {
        // "a" at 12, then a pointer to 12: lands before the pointer but not before the name.
        assertFormErr(hex(header(1, 0) + "0161 c00c 0001 0001"));
    }

    @Test
    void pointerBeyondTheEnd() {
        assertFormErr(hex(header(1, 0) + "ffff 0001 0001"));
        assertFormErr(hex(header(1, 0) + "c0")); // pointer cut short
    }

    @Test
    void reservedLabelTypes() {
        assertFormErr(hex(header(1, 0) + "41 00 0001 0001")); // 01 prefix (EDNS0 extended label)
        assertFormErr(hex(header(1, 0) + "81 00 0001 0001")); // 10 prefix
        assertFormErr(hex(header(1, 0) + "0161 40 0001 0001"));
    }

    @Test
    void labelRunningPastTheEnd() {
        assertFormErr(hex(header(1, 0) + "3f 6162"));
    }

    /**
     * A root name at the start of an opaque RDATA, then {@code hops - 1} pointers each pointing at
     * the previous one, then an answer whose owner points at the last: {@code hops} pointers in all.
     */
    static byte[] pointerChain(int hops) {
        int inner = hops - 1;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(hex(header(0, 2)));
        // answer 1: owner root, TYPE 65280 (opaque), CLASS IN, TTL 0, RDATA root + pointers
        int rdlength = 1 + 2 * inner;
        b.writeBytes(hex(String.format("00 ff00 0001 00000000 %04x", rdlength)));
        int root = b.size();
        b.write(0);
        int previous = root;
        for (int i = 0; i < inner; i++) {
            int here = b.size();
            b.write(0xc0 | previous >> 8);
            b.write(previous & 0xff);
            previous = here;
        }
        // answer 2: owner is a pointer to the last pointer of the chain
        b.write(0xc0 | previous >> 8);
        b.write(previous & 0xff);
        b.writeBytes(hex("ff00 0001 00000000 0000"));
        return b.toByteArray();
    }

    @Test
    void pointerChainLimit() throws Exception {
        // 127 pointers is as many as a real 255-octet name could need: accepted.
        assertEquals(Name.ROOT, MessageReader.parse(pointerChain(127)).answers().get(1).name());
        // 128 nested pointers: refused.
        assertFormErr(pointerChain(128));
    }

    @Test
    void nameOver255OctetsViaPointers() throws Exception {
        String l63 = "3f" + "61".repeat(63);
        String l61 = "3d" + "61".repeat(61);
        // name 1 at 12: three 63-octet labels, 193 octets; name 2: a 61-octet label + pointer: 255.
        String name1 = l63 + l63 + l63 + "00";
        assertEquals(193, name1.length() / 2);
        byte[] ok = hex(header(2, 0) + name1 + "0001 0001" + l61 + "c00c 0001 0001");
        assertEquals(255, MessageReader.parse(ok).questions().get(1).name().wireLength());
        // a 62-octet label instead: 256 octets once expanded.
        String l62 = "3e" + "61".repeat(62);
        assertFormErr(hex(header(2, 0) + name1 + "0001 0001" + l62 + "c00c 0001 0001"));
        // and directly, without pointers: four 63-octet labels.
        assertFormErr(hex(header(1, 0) + l63 + l63 + l63 + l63 + "00 0001 0001"));
    }

    @Test
    void rdataNameMustEndInsideRdlength() {
        // NS whose RDLENGTH (2) is shorter than its name (3 octets "0161 00").
        assertFormErr(hex(header(0, 1) + "00 0002 0001 00000000 0002 0161 00"));
        // ... and longer: RDLENGTH 4, name 3 octets, one octet left over.
        assertFormErr(hex(header(0, 1) + "00 0002 0001 00000000 0004 0161 00 00"));
    }

    @Test
    void optRules() {
        String opt = "00 0029 0200 00000000 0000";
        // two OPT records (RFC 6891 §6.1.1)
        assertFormErr(hex("0001 0000 0000 0000 0000 0002" + opt + opt));
        // OPT owned by a name other than the root (RFC 6891 §6.1.2)
        assertFormErr(hex("0001 0000 0000 0000 0000 0001 0161 00 0029 0200 00000000 0000"));
        // OPT in the answer section
        assertFormErr(hex("0001 0000 0000 0001 0000 0000" + opt));
        // option running past RDLENGTH
        assertFormErr(hex("0001 0000 0000 0000 0000 0001 00 0029 0200 00000000 0005 000a 0002 01"));
    }
}
