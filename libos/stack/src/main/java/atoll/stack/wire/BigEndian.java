package atoll.stack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Network byte order (RFC 791 Appendix B: "big-endian") reads and writes at absolute offsets. */
public final class BigEndian {
    private BigEndian() {}

    static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    public static int u8(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at));
    }

    public static int u16(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(U16, at));
    }

    public static int i32(MemorySegment s, long at) {
        return s.get(I32, at);
    }

    /** 48 bits (a MAC address) as the low bits of a long. */
    public static long u48(MemorySegment s, long at) {
        return ((long) u16(s, at) << 32) | Integer.toUnsignedLong(i32(s, at + 2));
    }

    public static void putU8(MemorySegment s, long at, int v) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) v);
    }

    public static void putU16(MemorySegment s, long at, int v) {
        s.set(U16, at, (short) v);
    }

    public static void putI32(MemorySegment s, long at, int v) {
        s.set(I32, at, v);
    }

    public static void putU48(MemorySegment s, long at, long v) {
        putU16(s, at, (int) (v >>> 32));
        putI32(s, at + 2, (int) v);
    }
}
