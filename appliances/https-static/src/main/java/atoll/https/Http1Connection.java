package atoll.https;

import atoll.https.http1.ParseResult;
import atoll.https.http1.RequestHead;
import atoll.https.http1.RequestParser;
import atoll.https.http1.Response;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.FlowTimeoutException;
import atoll.libos.net.TcpFlow;
import atoll.libos.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * One HTTP/1.1 connection (RFC 9112 §9): requests parsed as their octets arrive, answered in
 * order (pipelined requests queue in the read buffer), until the client or a response closes it.
 *
 * <p>Time limits are the flow's deadlines ({@link FlowDeadlines}), one request head being one
 * protocol unit: waiting for the first octet of the next request is bounded by {@code idle}; once
 * a request has begun, its whole head must arrive within {@code request} (a client that trickles
 * one octet at a time — slowloris — is cut off when that runs out, however often it sends); each
 * write must be taken by the client within {@code send}. A missed deadline closes the flow.
 */
final class Http1Connection {
    private final TcpFlow flow;
    private final RequestParser parser;
    private final BiFunction<RequestHead, java.time.Instant, Response> handler;
    private final Clock clock;
    private final Timeouts timeouts;
    private final AccessLog accessLog;
    private final BooleanSupplier stopping;
    private final Runnable idleNow;
    private final Runnable busyNow;

    record Timeouts(Duration idle, Duration request, Duration send) {
        FlowDeadlines deadlines() {
            return new FlowDeadlines(idle, request, send);
        }
    }

    /**
     * @param idleNow called when the connection starts waiting for a next request (it may then be closed by a stop)
     * @param busyNow called when a request has begun
     */
    Http1Connection(TcpFlow flow, RequestParser parser,
            BiFunction<RequestHead, java.time.Instant, Response> handler, Clock clock, Timeouts timeouts,
            AccessLog accessLog, BooleanSupplier stopping, Runnable idleNow, Runnable busyNow) {
        this.flow = flow;
        this.parser = parser;
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
            while (true) {
                ParseResult r = parser.parse(in.data());
                switch (r) {
                    case ParseResult.Parsed p -> {
                        busyNow.run();
                        java.time.Instant now = clock.now();
                        Response resp = handler.apply(p.head(), now);
                        send(writer, resp);
                        accessLog.log(flow.remoteAddress(), now, p.head(), null, resp.status(), resp.bodyLength());
                        if (resp.close() || stopping.getAsBoolean()) {
                            flow.shutdownOutput();
                            return;
                        }
                        consume(in, p.consumed());
                        flow.unitComplete(in.length() > 0);
                        continue;
                    }
                    case ParseResult.Malformed m -> {
                        java.time.Instant now = clock.now();
                        Response resp = HttpErrors.of(m.status(), now);
                        send(writer, resp);
                        accessLog.log(flow.remoteAddress(), now, null, "-", m.status(), resp.bodyLength());
                        flow.shutdownOutput();
                        return;
                    }
                    case ParseResult.Incomplete i -> { }
                }
                if (in.tailroom() == 0) {
                    // Only if the pool's buffers are smaller than the header limit: too large all the same.
                    send(writer, HttpErrors.of(431, clock.now()));
                    return;
                }
                if (in.length() == 0) {
                    if (stopping.getAsBoolean()) {
                        return;
                    }
                    idleNow.run();
                } else {
                    busyNow.run();
                }
                int n;
                try {
                    n = flow.read(in);
                } catch (FlowTimeoutException e) {
                    return; // a missed deadline has closed the flow: nothing more can be sent
                }
                if (n < 0) {
                    return;
                }
            }
        } finally {
            in.release();
            out.release();
        }
    }

    /** Each write is bounded by the flow's write deadline. */
    private static void send(FlowWriter writer, Response resp) throws IOException {
        writer.send(resp);
    }

    private static void consume(PooledBuffer in, int n) {
        in.consume(n);
        int rest = in.length();
        MemorySegment.copy(in.memory(), in.start(), in.memory(), 0, rest);
        in.window(0, rest);
    }
}
