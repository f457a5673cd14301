package atoll.https.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    static List<Frame> readAll(byte[] in) {
        List<Frame> out = new ArrayList<>();
        int off = 0;
        while (FrameReader.read(MemorySegment.ofArray(in).asSlice(off), 16_384) instanceof FrameReader.Read r) {
            out.add(r.frame());
            off += r.consumed();
        }
        return out;
    }

    @Test
    void framesAtEverySplitPoint() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(FrameWriter.settings(3, 100, 4, 65535));
        s.writeBytes(FrameWriter.frame(Frame.HEADERS, Frame.FLAG_END_HEADERS | Frame.FLAG_END_STREAM, 1,
                new byte[] {(byte) 0x82, (byte) 0x87, (byte) 0x84}));
        s.writeBytes(FrameWriter.windowUpdate(0, 1 << 20));
        s.writeBytes(FrameWriter.frame(Frame.PING, 0, 0, new byte[8]));
        byte[] all = s.toByteArray();
        List<Frame> whole = readAll(all);
        assertEquals(4, whole.size());
        assertEquals(Frame.HEADERS, whole.get(1).type());
        assertEquals(1, whole.get(1).streamId());
        // Feed the same octets in two reads cut at every point: the frames are the same.
        for (int cut = 0; cut <= all.length; cut++) {
            List<Frame> got = new ArrayList<>();
            byte[] buf = java.util.Arrays.copyOf(all, cut);
            int off = 0;
            for (int pass = 0; pass < 2; pass++) {
                while (FrameReader.read(MemorySegment.ofArray(buf).asSlice(off), 16_384) instanceof FrameReader.Read r) {
                    got.add(r.frame());
                    off += r.consumed();
                }
                buf = all;
            }
            assertEquals(whole.size(), got.size(), "cut " + cut);
            for (int i = 0; i < whole.size(); i++) {
                assertEquals(whole.get(i).type(), got.get(i).type());
                assertArrayEquals(whole.get(i).payload(), got.get(i).payload());
            }
        }
    }

    @Test
    void reservedBitIgnoredAndOversizeReported() {
        byte[] f = FrameWriter.frame(Frame.DATA, 0, 5, new byte[3]);
        f[5] |= (byte) 0x80; // R bit set: "MUST be ignored when receiving" (RFC 9113 §4.1)
        FrameReader.Read r = assertInstanceOf(FrameReader.Read.class, FrameReader.read(MemorySegment.ofArray(f), 16_384));
        assertEquals(5, r.frame().streamId());
        byte[] big = {0x00, 0x40, 0x01, 0, 0, 0, 0, 0, 1};
        assertEquals(16_385, assertInstanceOf(FrameReader.Oversized.class,
                FrameReader.read(MemorySegment.ofArray(big), 16_384)).length());
    }
}
