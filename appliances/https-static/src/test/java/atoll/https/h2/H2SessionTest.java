package atoll.https.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.https.http1.HeaderField;
import atoll.https.http1.RequestHead;
import atoll.https.http1.Response;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP/2 session engine driven frame by frame, as a client would. */
class H2SessionTest {
    final List<RequestHead> seen = new ArrayList<>();
    final byte[] big = new byte[100_000];
    final H2Session s = new H2Session((req, now) -> {
        seen.add(req);
        if (req.target().equals("/big")) {
            return new Response(200, List.of(new HeaderField("Content-Length", "100000")),
                    List.of(Response.Slice.of(big)), false);
        }
        return new Response(200, List.of(new HeaderField("Content-Type", "text/plain"),
                new HeaderField("Connection", "close"), new HeaderField("Content-Length", "5")),
                List.of(Response.Slice.ascii("hello")), true);
    });

    static Frame frame(byte[] encoded) {
        return ((FrameReader.Read) FrameReader.read(MemorySegment.ofArray(encoded), 1 << 24)).frame();
    }

    List<Frame> out() {
        List<Frame> frames = new ArrayList<>();
        for (byte[] b : s.drain()) {
            frames.add(frame(b));
        }
        return frames;
    }

    void send(byte[] encoded) {
        s.receive(frame(encoded), Instant.EPOCH);
    }

    static byte[] headers(int stream, int flags, String path) {
        byte[] block = new HpackEncoder().encode(List.of(new HeaderField(":method", "GET"),
                new HeaderField(":scheme", "https"), new HeaderField(":path", path),
                new HeaderField(":authority", "localhost")));
        return FrameWriter.frame(Frame.HEADERS, flags, stream, block);
    }

    @Test
    void prefaceSettingsThenARequestAnswered() throws HpackException {
        List<Frame> first = out();
        assertEquals(Frame.SETTINGS, first.getFirst().type(), "RFC 9113 §3.4: server preface");
        send(FrameWriter.settings(H2Session.SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20));
        send(headers(1, Frame.FLAG_END_HEADERS | Frame.FLAG_END_STREAM, "/"));
        List<Frame> f = out();
        assertEquals(Frame.SETTINGS, f.get(0).type());
        assertTrue(f.get(0).has(Frame.FLAG_ACK));
        assertEquals(Frame.HEADERS, f.get(1).type());
        List<HeaderField> h = new HpackDecoder(4096, 65536).decode(f.get(1).payload());
        assertEquals(new HeaderField(":status", "200"), h.getFirst());
        assertFalse(h.stream().anyMatch(x -> x.name().equals("connection")), "RFC 9113 §8.2.2");
        assertEquals(Frame.DATA, f.get(2).type());
        assertTrue(f.get(2).has(Frame.FLAG_END_STREAM));
        assertEquals("hello", new String(f.get(2).payload()));
        assertEquals("localhost", seen.getFirst().field("host").orElseThrow());
    }

    @Test
    void flowControlHoldsDataUntilWindowUpdate() {
        out();
        send(headers(1, Frame.FLAG_END_HEADERS | Frame.FLAG_END_STREAM, "/big"));
        int sent = 0;
        for (Frame f : out()) {
            if (f.type() == Frame.DATA) {
                sent += f.payload().length;
                assertTrue(f.payload().length <= 16_384, "peer's SETTINGS_MAX_FRAME_SIZE");
            }
        }
        assertEquals(65_535, sent, "the initial window, no more (RFC 9113 §6.9.2)");
        assertTrue(s.busy());
        send(FrameWriter.windowUpdate(1, 1 << 20));
        assertTrue(out().stream().noneMatch(f -> f.type() == Frame.DATA), "the connection window is still closed");
        send(FrameWriter.windowUpdate(0, 1 << 20));
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        boolean ended = false;
        for (Frame f : out()) {
            rest.writeBytes(f.payload());
            ended |= f.has(Frame.FLAG_END_STREAM);
        }
        assertEquals(100_000 - 65_535, rest.size());
        assertTrue(ended);
        assertFalse(s.busy());
    }

    @Test
    void pingIsAnsweredAndBadFramesEndTheConnection() {
        out();
        send(FrameWriter.frame(Frame.PING, 0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        Frame pong = out().getFirst();
        assertTrue(pong.type() == Frame.PING && pong.has(Frame.FLAG_ACK));
        send(FrameWriter.frame(Frame.PING, 0, 0, new byte[7]));
        Frame goaway = out().getFirst();
        assertEquals(Frame.GOAWAY, goaway.type());
        assertEquals(ErrorCode.FRAME_SIZE_ERROR, FrameWriter.getInt(goaway.payload(), 4));
        assertTrue(s.finished());
    }

    @Test
    void continuationFloodIsStopped() {
        out();
        send(headers(1, 0, "/"));
        byte[] chunk = new byte[16_000];
        for (int i = 0; i < 10 && !s.finished(); i++) {
            send(FrameWriter.frame(Frame.CONTINUATION, 0, 1, chunk));
        }
        Frame goaway = out().getLast();
        assertEquals(Frame.GOAWAY, goaway.type());
        assertEquals(ErrorCode.ENHANCE_YOUR_CALM, FrameWriter.getInt(goaway.payload(), 4));
    }

    @Test
    void rapidResetIsStopped() {
        out();
        for (int i = 0; i <= H2Session.MAX_RESETS && !s.finished(); i++) {
            int stream = 2 * i + 1;
            send(headers(stream, Frame.FLAG_END_HEADERS | Frame.FLAG_END_STREAM, "/big"));
            send(FrameWriter.rstStream(stream, ErrorCode.CANCEL));
            s.drain();
        }
        assertTrue(s.finished(), "GOAWAY after " + H2Session.MAX_RESETS + " resets");
    }

    @Test
    void malformedRequestIsAStreamError() {
        out();
        byte[] block = new HpackEncoder().encode(List.of(new HeaderField(":method", "GET"),
                new HeaderField(":path", "/"))); // no :scheme
        send(FrameWriter.frame(Frame.HEADERS, Frame.FLAG_END_HEADERS | Frame.FLAG_END_STREAM, 1, block));
        Frame rst = out().getFirst();
        assertEquals(Frame.RST_STREAM, rst.type());
        assertEquals(ErrorCode.PROTOCOL_ERROR, FrameWriter.getInt(rst.payload(), 0));
        assertFalse(s.finished(), "a stream error, not a connection error");
        send(headers(1, Frame.FLAG_END_HEADERS | Frame.FLAG_END_STREAM, "/"));
        assertEquals(ErrorCode.STREAM_CLOSED, FrameWriter.getInt(out().getFirst().payload(), 4),
                "a reused stream id is a connection error");
    }
}
