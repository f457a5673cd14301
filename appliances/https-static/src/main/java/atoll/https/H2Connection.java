package atoll.https;

import atoll.https.h2.FrameReader;
import atoll.https.h2.H2Session;
import atoll.https.http1.RequestHead;
import atoll.https.http1.Response;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.TcpFlow;
import atoll.libos.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * One HTTP/2 connection (negotiated by ALPN "h2"): reads the client preface, then feeds frames to
 * an {@link H2Session} and writes what it produces. Same deadlines as HTTP/1.1, one frame being one
 * protocol unit: the preface and each frame within the request timeout once begun, silence
 * between frames bounded by the idle timeout, each write within the send timeout.
 */
final class H2Connection {
    private final TcpFlow flow;
    private final BiFunction<RequestHead, Instant, Response> handler;
    private final Clock clock;
    private final Http1Connection.Timeouts timeouts;
    private final AccessLog accessLog;
    private final BooleanSupplier stopping;
    private final Runnable idleNow;
    private final Runnable busyNow;

    H2Connection(TcpFlow flow, BiFunction<RequestHead, Instant, Response> handler,
            Clock clock, Http1Connection.Timeouts timeouts, AccessLog accessLog, BooleanSupplier stopping,
            Runnable idleNow, Runnable busyNow) {
        this.flow = flow;
        this.handler = handler;
        this.clock = clock;
        this.timeouts = timeouts;
        this.accessLog = accessLog;
        this.stopping = stopping;
        this.idleNow = idleNow;
        this.busyNow = busyNow;
    }

    void serve() throws IOException {
        flow.deadlines(timeouts.deadlines());
        PooledBuffer in = flow.acquireBuffer();
        PooledBuffer out;
        try {
            out = flow.acquireBuffer();
        } catch (IOException | RuntimeException e) {
            in.release();
            throw e;
        }
        try {
            in.window(0, 0);
            FlowWriter writer = new FlowWriter(flow, out);
            H2Session session = new H2Session(handler);
            if (!fill(in, H2Session.PREFACE.length)) {
                return;
            }
            for (int i = 0; i < H2Session.PREFACE.length; i++) {
                if (in.getU8(i) != (H2Session.PREFACE[i] & 0xff)) {
                    return; // RFC 9113 §3.4: not the preface: a connection error; nothing sensible to say
                }
            }
            consume(in, H2Session.PREFACE.length);
            int maxFrame = 16_384; // our SETTINGS_MAX_FRAME_SIZE stays at its initial value
            while (true) {
                FrameReader.Result r;
                while ((r = FrameReader.read(in.data(), maxFrame)) instanceof FrameReader.Read read) {
                    busyNow.run();
                    session.receive(read.frame(), clock.now());
                    consume(in, read.consumed());
                    flow.unitComplete(in.length() > 0);
                }
                if (r instanceof FrameReader.Oversized) {
                    session.oversizedFrame();
                }
                send(writer, session.drain());
                for (H2Session.Event e : session.takeEvents()) {
                    accessLog.log(flow.remoteAddress(), clock.now(), e.request(), null, e.response().status(),
                            e.response().bodyLength(), "HTTP/2.0");
                }
                if (session.finished() || (stopping.getAsBoolean() && !session.busy())) {
                    return;
                }
                if (in.length() == 0 && !session.busy()) {
                    idleNow.run();
                }
                try {
                    if (flow.read(in) < 0) {
                        return;
                    }
                } catch (FlowTimeoutException e) {
                    return;
                }
            }
        } finally {
            in.release();
            out.release();
        }
    }

    private boolean fill(PooledBuffer in, int n) throws IOException {
        while (in.length() < n) {
            try {
                if (flow.read(in) < 0) {
                    return false;
                }
            } catch (FlowTimeoutException e) {
                return false;
            }
        }
        return true;
    }

    private static void send(FlowWriter writer, List<byte[]> frames) throws IOException {
        for (byte[] f : frames) {
            writer.put(f, 0, f.length);
        }
        writer.flush();
    }

    private static void consume(PooledBuffer in, int n) {
        in.consume(n);
        int rest = in.length();
        MemorySegment.copy(in.memory(), in.start(), in.memory(), 0, rest);
        in.window(0, rest);
    }

}
