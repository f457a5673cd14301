package atoll.https.h2;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * HTTP/2 framing as its own sans-I/O piece (DESIGN §9.12): given the octets received so far, says
 * whether a whole frame is there. Stateless, so input cut anywhere gives the same frames.
 */
public final class FrameReader {
    private FrameReader() {}

    /** The outcome of {@link #read}. */
    public sealed interface Result {}

    /** Fewer octets than the next frame needs. */
    public record Incomplete() implements Result {}

    /** A frame, and the octets it took. */
    public record Read(Frame frame, int consumed) implements Result {}

    /**
     * RFC 9113 §4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds
     * the size defined in SETTINGS_MAX_FRAME_SIZE"; a connection error here, as the frame cannot be skipped safely.
     */
    public record Oversized(int length) implements Result {}

    private static final Incomplete INCOMPLETE = new Incomplete();

    public static Result read(MemorySegment in, int maxFrameSize) {
        long size = in.byteSize();
        if (size < Frame.HEADER_LENGTH) {
            return INCOMPLETE;
        }
        int length = u8(in, 0) << 16 | u8(in, 1) << 8 | u8(in, 2);
        if (length > maxFrameSize) {
            return new Oversized(length);
        }
        if (size < Frame.HEADER_LENGTH + (long) length) {
            return INCOMPLETE;
        }
        int type = u8(in, 3);
        int flags = u8(in, 4);
        int stream = (u8(in, 5) << 24 | u8(in, 6) << 16 | u8(in, 7) << 8 | u8(in, 8)) & 0x7fff_ffff;
        byte[] payload = new byte[length];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, Frame.HEADER_LENGTH, payload, 0, length);
        return new Read(new Frame(type, flags, stream, payload), Frame.HEADER_LENGTH + length);
    }

    private static int u8(MemorySegment in, long i) {
        return in.get(ValueLayout.JAVA_BYTE, i) & 0xff;
    }
}
