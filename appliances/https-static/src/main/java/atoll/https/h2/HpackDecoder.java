package atoll.https.h2;

import atoll.https.http1.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * HPACK header block decoding (RFC 7541) with its dynamic table. One per connection (the table is
 * connection state); blocks are decoded whole, in the order they arrive.
 *
 * <pre>
 *   indexed field            1xxxxxxx  index (7-bit prefix)                       §6.1
 *   literal, incremental     01xxxxxx  name index (6) or 0 + name, value           §6.2.1
 *   literal, not indexed     0000xxxx  name index (4) or 0 + name, value           §6.2.2
 *   literal, never indexed   0001xxxx  as above                                    §6.2.3
 *   dynamic table size       001xxxxx  max size (5)                                §6.3
 *   string                   H xxxxxxx length (7), octets (Huffman-coded if H)     §5.2
 * </pre>
 */
public final class HpackDecoder {
    /** RFC 7541 §4.1: each entry costs its name and value lengths plus 32 octets. */
    static final int ENTRY_OVERHEAD = 32;

    private final int maxTableSizeLimit;
    private final int maxHeaderListSize;
    private final ArrayDeque<HeaderField> dynamic = new ArrayDeque<>();
    private int tableSize;
    private int maxTableSize;

    /**
     * @param maxTableSize the SETTINGS_HEADER_TABLE_SIZE we advertised (RFC 9113 §6.5.2; 4096 by default)
     * @param maxHeaderListSize the decoded list size (RFC 9113 §6.5.2 accounting) past which decoding stops
     */
    public HpackDecoder(int maxTableSize, int maxHeaderListSize) {
        this.maxTableSizeLimit = maxTableSize;
        this.maxTableSize = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /** Decodes one complete header block. */
    public List<HeaderField> decode(byte[] block) throws HpackException {
        List<HeaderField> out = new ArrayList<>();
        int[] pos = {0};
        long listSize = 0;
        boolean fieldSeen = false;
        while (pos[0] < block.length) {
            int b = block[pos[0]] & 0xff;
            HeaderField f;
            if ((b & 0x80) != 0) {
                f = entry(integer(block, pos, 7));
            } else if ((b & 0xc0) == 0x40) {
                f = literal(block, pos, 6);
                add(f);
            } else if ((b & 0xe0) == 0x20) {
                // RFC 7541 §4.2: a size update "MUST occur at the beginning of the first header block following the change".
                if (fieldSeen) {
                    throw new HpackException("dynamic table size update after a field");
                }
                int size = integer(block, pos, 5);
                if (size > maxTableSizeLimit) {
                    // RFC 7541 §6.3: "The new maximum size MUST be lower than or equal to the limit".
                    throw new HpackException("table size " + size + " over the limit " + maxTableSizeLimit);
                }
                maxTableSize = size;
                evict();
                continue;
            } else {
                f = literal(block, pos, 4); // 0000 (not indexed) and 0001 (never indexed) alike here
            }
            fieldSeen = true;
            listSize += f.name().length() + f.value().length() + ENTRY_OVERHEAD;
            if (listSize > maxHeaderListSize) {
                throw new HpackException("header list larger than " + maxHeaderListSize);
            }
            out.add(f);
        }
        return out;
    }

    private HeaderField literal(byte[] block, int[] pos, int prefix) throws HpackException {
        int index = integer(block, pos, prefix);
        String name = index == 0 ? string(block, pos) : entry(index).name();
        String value = string(block, pos);
        return new HeaderField(name, value);
    }

    private HeaderField entry(int index) throws HpackException {
        if (index >= 1 && index <= StaticTable.SIZE) {
            return StaticTable.ENTRIES.get(index - 1);
        }
        int d = index - StaticTable.SIZE - 1;
        if (index == 0 || d >= dynamic.size()) {
            // RFC 7541 §2.3.3: "Indices strictly greater than the sum of the lengths of both tables MUST be treated as a decoding error."
            throw new HpackException("index " + index + " out of range");
        }
        int i = 0;
        for (HeaderField f : dynamic) {
            if (i++ == d) {
                return f;
            }
        }
        throw new AssertionError();
    }

    private void add(HeaderField f) {
        int size = f.name().length() + f.value().length() + ENTRY_OVERHEAD;
        dynamic.addFirst(f);
        tableSize += size;
        evict();
    }

    /** RFC 7541 §4.4: entries are evicted from the end until the table fits (a too-large entry empties it). */
    private void evict() {
        while (tableSize > maxTableSize && !dynamic.isEmpty()) {
            HeaderField last = dynamic.removeLast();
            tableSize -= last.name().length() + last.value().length() + ENTRY_OVERHEAD;
        }
    }

    /** RFC 7541 §5.1 integer with an N-bit prefix; bounded to 2^28 so it cannot overflow. */
    static int integer(byte[] b, int[] pos, int prefix) throws HpackException {
        if (pos[0] >= b.length) {
            throw new HpackException("truncated integer");
        }
        int max = (1 << prefix) - 1;
        int v = b[pos[0]++] & max;
        if (v < max) {
            return v;
        }
        int shift = 0;
        while (true) {
            if (pos[0] >= b.length) {
                throw new HpackException("truncated integer");
            }
            int c = b[pos[0]++] & 0xff;
            v += (c & 0x7f) << shift;
            shift += 7;
            if ((c & 0x80) == 0) {
                return v;
            }
            if (shift > 21) {
                throw new HpackException("integer too large");
            }
        }
    }

    /** RFC 7541 §5.2 string literal, as ISO-8859-1 characters (field values are octets). */
    private static String string(byte[] b, int[] pos) throws HpackException {
        if (pos[0] >= b.length) {
            throw new HpackException("truncated string");
        }
        boolean huffman = (b[pos[0]] & 0x80) != 0;
        int length = integer(b, pos, 7);
        if (length > b.length - pos[0]) {
            throw new HpackException("string longer than the block");
        }
        byte[] raw = huffman ? Huffman.decode(b, pos[0], length) : java.util.Arrays.copyOfRange(b, pos[0], pos[0] + length);
        pos[0] += length;
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** Current dynamic table size in RFC 7541 §4.1 octets (for tests). */
    int tableSize() {
        return tableSize;
    }
}
