package atoll.dns.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A domain name as one flat array: its uncompressed wire form (RFC 1035 §3.1: length-prefixed
 * labels, then the zero octet of the root) with every ASCII letter in lower case. Names that
 * compare equal ignoring ASCII case (RFC 4343 §3) have the same flat form, so a table keyed by
 * flat names can be searched with a name still in a message, hashed and compared in place.
 */
public final class FlatName {
    private FlatName() {}

    /** The flat form of {@code name}: lower case, uncompressed, root label included. */
    public static byte[] of(Name name) {
        byte[] flat = new byte[name.wireLength()];
        int p = 0;
        for (int i = 0; i < name.labelCount(); i++) {
            int length = name.labelLength(i);
            flat[p++] = (byte) length;
            for (int j = 0; j < length; j++) {
                flat[p++] = (byte) Name.lower(name.labelByte(i, j));
            }
        }
        flat[p] = 0;
        return flat;
    }

    /** Hash of a flat name. */
    public static int hash(byte[] flat) {
        int h = 0;
        for (byte b : flat) {
            h = 31 * h + b; // already lower case
        }
        return h;
    }

    /**
     * The hash {@link #hash(byte[])} gives the flat form of the uncompressed name of {@code length}
     * octets at {@code offset} of {@code wire} (whose letters may be in any case).
     */
    public static int hash(MemorySegment wire, int offset, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + (byte) Name.lower(wire.get(ValueLayout.JAVA_BYTE, offset + i));
        }
        return h;
    }

    /** Whether the uncompressed name at {@code offset} of {@code wire} has the flat form {@code flat}. */
    public static boolean matches(byte[] flat, MemorySegment wire, int offset, int length) {
        if (flat.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (flat[i] != (byte) Name.lower(wire.get(ValueLayout.JAVA_BYTE, offset + i))) {
                return false;
            }
        }
        return true;
    }
}
