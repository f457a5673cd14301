package atoll.https.h2;

import atoll.https.http1.HeaderField;
import atoll.https.http1.Response;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.List;

/**
 * Jazzer target for the HTTP/2 frame layer and session: any octets after the preface are framed
 * by {@link FrameReader} and fed to an {@link H2Session}; nothing may throw, and output stays
 * bounded. Seeds in {@code src/test/resources/atoll/https/h2/H2SessionFuzzTestInputs/frames/}.
 */
class H2SessionFuzzTest {
    static final Response OK = new Response(200, List.of(new HeaderField("Content-Length", "5")),
            List.of(Response.Slice.ascii("hello")), false);

    @FuzzTest
    void frames(byte[] data) {
        H2Session s = new H2Session((req, now) -> OK);
        int off = 0;
        int frames = 0;
        while (frames++ < 10_000) {
            FrameReader.Result r = FrameReader.read(MemorySegment.ofArray(data).asSlice(off), 16_384);
            if (r instanceof FrameReader.Read read) {
                s.receive(read.frame(), Instant.EPOCH);
                off += read.consumed();
                s.drain();
            } else {
                if (r instanceof FrameReader.Oversized) {
                    s.oversizedFrame();
                }
                break;
            }
        }
        s.drain();
    }
}
