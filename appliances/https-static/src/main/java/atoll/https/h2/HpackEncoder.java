package atoll.https.h2;

import atoll.https.http1.HeaderField;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HPACK encoding of response headers, statelessly: a field that is in the static table whole is
 * sent as its index (§6.1); otherwise a literal without indexing (§6.2.2) with the static name
 * index when there is one, and the value Huffman-coded when that is shorter. The dynamic table is
 * never used, so the decoder's table size setting does not matter.
 */
public final class HpackEncoder {

    public byte[] encode(List<HeaderField> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        for (HeaderField f : fields) {
            Integer exact = StaticTable.FIELD_INDEX.get(f);
            if (exact != null) {
                integer(out, 0x80, 7, exact);
                continue;
            }
            Integer nameIndex = StaticTable.NAME_INDEX.get(f.name());
            if (nameIndex != null) {
                integer(out, 0x00, 4, nameIndex);
            } else {
                integer(out, 0x00, 4, 0);
                string(out, f.name());
            }
            string(out, f.value());
        }
        return out.toByteArray();
    }

    static void integer(ByteArrayOutputStream out, int flags, int prefix, int v) {
        int max = (1 << prefix) - 1;
        if (v < max) {
            out.write(flags | v);
            return;
        }
        out.write(flags | max);
        v -= max;
        while (v >= 0x80) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] huff = Huffman.encode(raw);
        if (huff.length < raw.length) {
            integer(out, 0x80, 7, huff.length);
            out.writeBytes(huff);
        } else {
            integer(out, 0x00, 7, raw.length);
            out.writeBytes(raw);
        }
    }
}
