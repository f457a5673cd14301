package atoll.https.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atoll.https.http1.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HPACK against the examples of RFC 7541 Appendix C and the Huffman table of Appendix B. */
class HpackTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static HeaderField f(String n, String v) {
        return new HeaderField(n, v);
    }

    @Test
    void huffmanCodesMatchTheRfcTable() {
        // A few rows of RFC 7541 Appendix B ("code as hex", "len").
        assertEquals(0x1ff8, Huffman.CODES[0]);
        assertEquals(13, Huffman.length(0));
        assertEquals(0x14, Huffman.CODES[' ']);
        assertEquals(0x0, Huffman.CODES['0']);
        assertEquals(0x7fff0, Huffman.CODES['\\']);
        assertEquals(0x3ffffee, Huffman.CODES[255]);
        assertEquals(0x3fffffff, Huffman.CODES[Huffman.EOS]);
        assertEquals(30, Huffman.length(Huffman.EOS));
    }

    @Test
    void huffmanStringsOfAppendixC4() throws HpackException {
        // RFC 7541 C.4.1-C.4.3.
        assertArrayEquals(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"), Huffman.encode(ascii("www.example.com")));
        assertArrayEquals(hex("a8eb 1064 9cbf"), Huffman.encode(ascii("no-cache")));
        assertArrayEquals(hex("25a8 49e9 5ba9 7d7f"), Huffman.encode(ascii("custom-key")));
        assertArrayEquals(hex("25a8 49e9 5bb8 e8b4 bf"), Huffman.encode(ascii("custom-value")));
        byte[] w = hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff");
        assertArrayEquals(ascii("www.example.com"), Huffman.decode(w, 0, w.length));
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] enc = Huffman.encode(all);
        assertArrayEquals(all, Huffman.decode(enc, 0, enc.length), "every octet round-trips");
    }

    @Test
    void huffmanErrors() {
        // 8 or more bits of padding, padding not all ones, and EOS itself (RFC 7541 §5.2).
        assertThrows(HpackException.class, () -> Huffman.decode(hex("ff"), 0, 1));
        assertThrows(HpackException.class, () -> Huffman.decode(hex("00"), 0, 1)); // '0' then 3 zero bits
        assertThrows(HpackException.class, () -> Huffman.decode(hex("ffff ffff"), 0, 4));
    }

    @Test
    void requestsWithoutHuffmanAppendixC3() throws HpackException {
        HpackDecoder d = new HpackDecoder(4096, 65536);
        assertEquals(List.of(f(":method", "GET"), f(":scheme", "http"), f(":path", "/"),
                f(":authority", "www.example.com")), d.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")));
        assertEquals(57, d.tableSize());
        assertEquals(List.of(f(":method", "GET"), f(":scheme", "http"), f(":path", "/"),
                f(":authority", "www.example.com"), f("cache-control", "no-cache")),
                d.decode(hex("8286 84be 5808 6e6f 2d63 6163 6865")));
        assertEquals(110, d.tableSize());
        assertEquals(List.of(f(":method", "GET"), f(":scheme", "https"), f(":path", "/index.html"),
                f(":authority", "www.example.com"), f("custom-key", "custom-value")),
                d.decode(hex("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65")));
        assertEquals(164, d.tableSize());
    }

    @Test
    void requestsWithHuffmanAppendixC4() throws HpackException {
        HpackDecoder d = new HpackDecoder(4096, 65536);
        assertEquals(f(":authority", "www.example.com"),
                d.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")).get(3));
        assertEquals(f("cache-control", "no-cache"), d.decode(hex("8286 84be 5886 a8eb 1064 9cbf")).get(4));
        assertEquals(f("custom-key", "custom-value"),
                d.decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")).get(4));
    }

    @Test
    void decoderErrors() {
        HpackDecoder d = new HpackDecoder(4096, 65536);
        assertThrows(HpackException.class, () -> d.decode(hex("be")), "index 62 with an empty dynamic table");
        assertThrows(HpackException.class, () -> d.decode(hex("80")), "index 0");
        assertThrows(HpackException.class, () -> d.decode(hex("3fe21f")), "table size over the setting");
        assertThrows(HpackException.class, () -> d.decode(hex("8220")), "size update after a field");
        assertThrows(HpackException.class, () -> d.decode(hex("400a 6375")), "string longer than the block");
        assertThrows(HpackException.class, () -> d.decode(hex("ff ffffffff 0f")), "integer overflow");
        HpackDecoder small = new HpackDecoder(4096, 64);
        assertThrows(HpackException.class, () -> small.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")),
                "header list over its limit");
    }

    @Test
    void encoderOutputDecodes() throws HpackException {
        List<HeaderField> h = List.of(f(":status", "200"), f(":status", "206"), f("content-type", "text/html"),
                f("etag", "\"abc\""), f("x-custom", "Value with Ümlaut"), f("content-length", "12345"));
        byte[] block = new HpackEncoder().encode(h);
        assertEquals(0x88, block[0] & 0xff, ":status 200 is static index 8");
        assertEquals(h, new HpackDecoder(4096, 65536).decode(block));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
