package atoll.https.h2;

import atoll.https.http1.HeaderField;
import atoll.https.http1.RequestHead;
import atoll.https.http1.Response;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One HTTP/2 connection's protocol state (RFC 9113), sans-I/O: frames in ({@link #receive}),
 * octets to send out ({@link #drain}). Requests are answered as soon as their header block is
 * complete, by the same responder HTTP/1.1 uses; response bodies are sent as DATA within the
 * peer's flow-control windows. No threads, sockets or clocks: the time is passed in.
 *
 * <p>Limits against abuse: at most {@link #MAX_CONCURRENT_STREAMS} responses in flight; a header
 * block (HEADERS + CONTINUATION) over {@link #MAX_HEADER_BLOCK} octets, or more than
 * {@link #MAX_RESETS} RST_STREAM frames from the client, ends the connection with
 * ENHANCE_YOUR_CALM (the CONTINUATION flood and rapid reset attacks).
 */
public final class H2Session {
    /** RFC 9113 §3.4: the client connection preface. */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** RFC 9113 §6.5.2 initial values. */
    static final int DEFAULT_WINDOW = 65_535;
    static final int DEFAULT_MAX_FRAME = 16_384;
    static final int MAX_WINDOW = 0x7fff_ffff;
    static final int MAX_FRAME_LIMIT = 16_777_215;

    static final int MAX_CONCURRENT_STREAMS = 100;
    static final int MAX_HEADER_BLOCK = 65_536;
    static final int MAX_HEADER_LIST = 65_536;
    static final int MAX_RESETS = 1_000;

    // RFC 9113 §6.5.2 setting identifiers.
    static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
    static final int SETTINGS_ENABLE_PUSH = 0x2;
    static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
    static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    /** RFC 9113 §8.2.2: connection-specific fields that make a request malformed. */
    private static final Set<String> CONNECTION_SPECIFIC =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");

    private final BiFunction<RequestHead, Instant, Response> handler;
    private final HpackDecoder decoder = new HpackDecoder(4096, MAX_HEADER_LIST);
    private final HpackEncoder encoder = new HpackEncoder();
    private final ArrayDeque<byte[]> control = new ArrayDeque<>();
    private final Map<Integer, Outgoing> outgoing = new LinkedHashMap<>();

    private int lastStreamId;
    private int continuationStream = -1;
    private boolean continuationEndStream;
    private final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
    private int peerInitialWindow = DEFAULT_WINDOW;
    private int peerMaxFrame = DEFAULT_MAX_FRAME;
    private long connectionWindow = DEFAULT_WINDOW;
    private int resets;
    private boolean goawaySent;
    private boolean goawayReceived;
    private final List<Event> events = new ArrayList<>();

    /** A response being sent. */
    private static final class Outgoing {
        final List<Response.Slice> body;
        int slice;
        int offset;
        long window;
        final boolean resetAfter;

        Outgoing(List<Response.Slice> body, long window, boolean resetAfter) {
            this.body = body;
            this.window = window;
            this.resetAfter = resetAfter;
        }
    }

    /** Something the connection may log: a request answered. */
    public record Event(RequestHead request, Response response) {}

    public H2Session(BiFunction<RequestHead, Instant, Response> handler) {
        this.handler = handler;
        // RFC 9113 §3.4: the server preface is a SETTINGS frame, sent first.
        control.add(FrameWriter.settings(SETTINGS_MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS,
                SETTINGS_ENABLE_PUSH, 0, SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST));
    }

    /** Handles one frame from the client. */
    public void receive(Frame f, Instant now) {
        if (goawaySent) {
            return;
        }
        if (continuationStream >= 0 && (f.type() != Frame.CONTINUATION || f.streamId() != continuationStream)) {
            // RFC 9113 §6.10: anything but CONTINUATION on that stream "MUST" be a PROTOCOL_ERROR.
            connectionError(ErrorCode.PROTOCOL_ERROR);
            return;
        }
        switch (f.type()) {
            case Frame.DATA -> data(f);
            case Frame.HEADERS -> headers(f, now);
            case Frame.CONTINUATION -> continuation(f, now);
            case Frame.PRIORITY -> priority(f);
            case Frame.RST_STREAM -> rstStream(f);
            case Frame.SETTINGS -> settings(f);
            case Frame.PUSH_PROMISE -> connectionError(ErrorCode.PROTOCOL_ERROR); // §8.4: clients cannot push
            case Frame.PING -> ping(f);
            case Frame.GOAWAY -> goaway(f);
            case Frame.WINDOW_UPDATE -> windowUpdate(f);
            default -> { } // §4.1: "Implementations MUST ignore and discard frames of unknown types."
        }
    }

    /** A frame larger than our SETTINGS_MAX_FRAME_SIZE arrived (RFC 9113 §4.2). */
    public void oversizedFrame() {
        connectionError(ErrorCode.FRAME_SIZE_ERROR);
    }

    /**
     * The octets to send now: control frames, then DATA as far as the windows allow. Empty when
     * there is nothing (more) to send until the client opens a window.
     */
    public List<byte[]> drain() {
        List<byte[]> out = new ArrayList<>(control);
        control.clear();
        if (goawaySent) {
            outgoing.clear();
            return out;
        }
        Iterator<Map.Entry<Integer, Outgoing>> it = outgoing.entrySet().iterator();
        while (it.hasNext() && connectionWindow > 0) {
            Map.Entry<Integer, Outgoing> e = it.next();
            int stream = e.getKey();
            Outgoing o = e.getValue();
            while (o.slice < o.body.size() && o.window > 0 && connectionWindow > 0) {
                Response.Slice s = o.body.get(o.slice);
                int n = (int) Math.min(Math.min(s.length() - o.offset, peerMaxFrame), Math.min(o.window, connectionWindow));
                boolean lastSlice = o.slice == o.body.size() - 1;
                boolean end = lastSlice && o.offset + n == s.length();
                out.add(FrameWriter.frame(Frame.DATA, end ? Frame.FLAG_END_STREAM : 0, stream, s.bytes(),
                        s.offset() + o.offset, n));
                o.offset += n;
                o.window -= n;
                connectionWindow -= n;
                if (o.offset == s.length()) {
                    o.slice++;
                    o.offset = 0;
                }
            }
            if (o.slice == o.body.size()) {
                if (o.resetAfter) {
                    // RFC 9113 §8.1: a complete response before the request ended, then RST_STREAM NO_ERROR.
                    out.add(FrameWriter.rstStream(stream, ErrorCode.NO_ERROR));
                }
                it.remove();
            }
        }
        return out;
    }

    /** Whether the connection should close once {@link #drain()}'s output is written. */
    public boolean finished() {
        return goawaySent || (goawayReceived && outgoing.isEmpty() && continuationStream < 0);
    }

    /** Whether responses are waiting for window. */
    public boolean busy() {
        return !outgoing.isEmpty() || continuationStream >= 0;
    }

    /** Requests answered since the last call. */
    public List<Event> takeEvents() {
        List<Event> e = List.copyOf(events);
        events.clear();
        return e;
    }

    private void data(Frame f) {
        if (f.streamId() == 0) {
            connectionError(ErrorCode.PROTOCOL_ERROR);
            return;
        }
        if (f.streamId() > lastStreamId) {
            connectionError(ErrorCode.PROTOCOL_ERROR); // §5.1: DATA on an idle stream
            return;
        }
        // Request bodies are not read, but they count against our receive window (§6.9): give it back.
        if (f.payload().length > 0) {
            control.add(FrameWriter.windowUpdate(0, f.payload().length));
        }
    }

    private void headers(Frame f, Instant now) {
        int stream = f.streamId();
        if (stream == 0 || (stream & 1) == 0) {
            connectionError(ErrorCode.PROTOCOL_ERROR); // §5.1.1: client streams are odd
            return;
        }
        if (stream <= lastStreamId) {
            // §5.1: every stream of ours is closed once answered; HEADERS there (trailers included) is STREAM_CLOSED.
            connectionError(ErrorCode.STREAM_CLOSED);
            return;
        }
        lastStreamId = stream;
        byte[] p = f.payload();
        int start = 0;
        int end = p.length;
        if (f.has(Frame.FLAG_PADDED)) {
            if (p.length < 1 || (p[0] & 0xff) >= p.length) {
                connectionError(ErrorCode.PROTOCOL_ERROR); // §6.2: padding as long as the payload
                return;
            }
            end -= p[0] & 0xff;
            start = 1;
        }
        if (f.has(Frame.FLAG_PRIORITY)) {
            start += 5; // §5.3.2: priorities are ignored
            if (start > end) {
                connectionError(ErrorCode.FRAME_SIZE_ERROR);
                return;
            }
        }
        headerBlock.reset();
        headerBlock.write(p, start, end - start);
        continuationEndStream = f.has(Frame.FLAG_END_STREAM);
        if (f.has(Frame.FLAG_END_HEADERS)) {
            complete(stream, now);
        } else {
            continuationStream = stream;
        }
    }

    private void continuation(Frame f, Instant now) {
        if (continuationStream < 0) {
            connectionError(ErrorCode.PROTOCOL_ERROR);
            return;
        }
        if (headerBlock.size() + f.payload().length > MAX_HEADER_BLOCK) {
            connectionError(ErrorCode.ENHANCE_YOUR_CALM); // CONTINUATION flood
            return;
        }
        headerBlock.write(f.payload(), 0, f.payload().length);
        if (f.has(Frame.FLAG_END_HEADERS)) {
            int stream = continuationStream;
            continuationStream = -1;
            complete(stream, now);
        }
    }

    private void complete(int stream, Instant now) {
        List<HeaderField> fields;
        try {
            // Decoded even for a stream we refuse: the HPACK table is connection state (§4.3).
            fields = decoder.decode(headerBlock.toByteArray());
        } catch (HpackException e) {
            connectionError(ErrorCode.COMPRESSION_ERROR);
            return;
        }
        if (goawayReceived || outgoing.size() >= MAX_CONCURRENT_STREAMS) {
            control.add(FrameWriter.rstStream(stream, ErrorCode.REFUSED_STREAM));
            return;
        }
        RequestHead req = request(fields);
        if (req == null) {
            control.add(FrameWriter.rstStream(stream, ErrorCode.PROTOCOL_ERROR)); // §8.1.1 malformed
            return;
        }
        Response resp = handler.apply(req, now);
        events.add(new Event(req, resp));
        List<HeaderField> h = new ArrayList<>();
        h.add(new HeaderField(":status", Integer.toString(resp.status())));
        for (HeaderField rf : resp.fields()) {
            String name = rf.name().toLowerCase(Locale.ROOT);
            if (!CONNECTION_SPECIFIC.contains(name)) {
                h.add(new HeaderField(name, rf.value()));
            }
        }
        byte[] block = encoder.encode(h);
        boolean noBody = resp.bodyLength() == 0;
        for (int off = 0; off < block.length || off == 0; ) {
            int n = Math.min(block.length - off, peerMaxFrame);
            boolean first = off == 0;
            boolean last = off + n == block.length;
            int flags = (last ? Frame.FLAG_END_HEADERS : 0) | (first && noBody ? Frame.FLAG_END_STREAM : 0);
            control.add(FrameWriter.frame(first ? Frame.HEADERS : Frame.CONTINUATION, flags, stream, block, off, n));
            off += n;
            if (n == 0) {
                break;
            }
        }
        if (noBody) {
            if (!continuationEndStream) {
                control.add(FrameWriter.rstStream(stream, ErrorCode.NO_ERROR));
            }
        } else {
            outgoing.put(stream, new Outgoing(resp.body(), peerInitialWindow, !continuationEndStream));
        }
    }

    /** RFC 9113 §8.3.1: the request pseudo-header fields, checked; null if malformed. */
    private static RequestHead request(List<HeaderField> fields) {
        String method = null;
        String scheme = null;
        String path = null;
        String authority = null;
        List<HeaderField> regular = new ArrayList<>();
        boolean regularSeen = false;
        for (HeaderField f : fields) {
            String n = f.name();
            for (int i = 0; i < n.length(); i++) {
                char c = n.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    return null; // §8.2.1: upper-case field names are malformed
                }
            }
            if (n.startsWith(":")) {
                if (regularSeen) {
                    return null; // §8.3: pseudo-header fields come first
                }
                String v = f.value();
                switch (n) {
                    case ":method" -> {
                        if (method != null) {
                            return null;
                        }
                        method = v;
                    }
                    case ":scheme" -> {
                        if (scheme != null) {
                            return null;
                        }
                        scheme = v;
                    }
                    case ":path" -> {
                        if (path != null) {
                            return null;
                        }
                        path = v;
                    }
                    case ":authority" -> {
                        if (authority != null) {
                            return null;
                        }
                        authority = v;
                    }
                    default -> {
                        return null; // §8.3: undefined pseudo-header fields are malformed
                    }
                }
            } else {
                regularSeen = true;
                if (CONNECTION_SPECIFIC.contains(n) || (n.equals("te") && !f.value().equals("trailers"))) {
                    return null; // §8.2.2
                }
                for (int i = 0; i < f.value().length(); i++) {
                    char c = f.value().charAt(i);
                    if (c == 0 || c == '\r' || c == '\n') {
                        return null; // §8.2.1
                    }
                }
                regular.add(f);
            }
        }
        // §8.3.1: ":method", ":scheme" and ":path" MUST be present (CONNECT aside), ":path" not empty.
        if (method == null || scheme == null || path == null || path.isEmpty()) {
            return null;
        }
        List<HeaderField> all = new ArrayList<>();
        if (authority != null) {
            all.add(new HeaderField("host", authority));
        }
        for (HeaderField f : regular) {
            if (!(f.name().equals("host") && authority != null)) {
                all.add(f);
            }
        }
        // HTTP/2 semantics map onto HTTP/1.1 with persistent connections.
        return new RequestHead(method, path, 1, all);
    }

    private void priority(Frame f) {
        if (f.streamId() == 0) {
            connectionError(ErrorCode.PROTOCOL_ERROR);
        } else if (f.payload().length != 5) {
            control.add(FrameWriter.rstStream(f.streamId(), ErrorCode.FRAME_SIZE_ERROR)); // §6.3
        }
    }

    private void rstStream(Frame f) {
        if (f.payload().length != 4) {
            connectionError(ErrorCode.FRAME_SIZE_ERROR);
        } else if (f.streamId() == 0 || f.streamId() > lastStreamId) {
            connectionError(ErrorCode.PROTOCOL_ERROR); // §6.4: not on stream 0 nor an idle stream
        } else {
            outgoing.remove(f.streamId());
            if (++resets > MAX_RESETS) {
                connectionError(ErrorCode.ENHANCE_YOUR_CALM); // rapid reset (CVE-2023-44487)
            }
        }
    }

    private void settings(Frame f) {
        if (f.streamId() != 0) {
            connectionError(ErrorCode.PROTOCOL_ERROR);
            return;
        }
        byte[] p = f.payload();
        if (f.has(Frame.FLAG_ACK)) {
            if (p.length != 0) {
                connectionError(ErrorCode.FRAME_SIZE_ERROR); // §6.5
            }
            return;
        }
        if (p.length % 6 != 0) {
            connectionError(ErrorCode.FRAME_SIZE_ERROR);
            return;
        }
        for (int o = 0; o < p.length; o += 6) {
            int id = (p[o] & 0xff) << 8 | (p[o + 1] & 0xff);
            int value = FrameWriter.getInt(p, o + 2);
            switch (id) {
                case SETTINGS_ENABLE_PUSH -> {
                    if (value != 0 && value != 1) {
                        connectionError(ErrorCode.PROTOCOL_ERROR);
                        return;
                    }
                }
                case SETTINGS_INITIAL_WINDOW_SIZE -> {
                    if (value < 0) { // over 2^31-1 as unsigned
                        connectionError(ErrorCode.FLOW_CONTROL_ERROR);
                        return;
                    }
                    // §6.9.2: the change applies to every open stream's window.
                    int delta = value - peerInitialWindow;
                    for (Outgoing o2 : outgoing.values()) {
                        o2.window += delta;
                        if (o2.window > MAX_WINDOW) {
                            connectionError(ErrorCode.FLOW_CONTROL_ERROR);
                            return;
                        }
                    }
                    peerInitialWindow = value;
                }
                case SETTINGS_MAX_FRAME_SIZE -> {
                    if (value < DEFAULT_MAX_FRAME || value > MAX_FRAME_LIMIT) {
                        connectionError(ErrorCode.PROTOCOL_ERROR);
                        return;
                    }
                    peerMaxFrame = value;
                }
                default -> { } // §6.5.2: unknown settings are ignored; the others need nothing here
            }
        }
        control.add(FrameWriter.settingsAck());
    }

    private void ping(Frame f) {
        if (f.payload().length != 8) {
            connectionError(ErrorCode.FRAME_SIZE_ERROR);
        } else if (f.streamId() != 0) {
            connectionError(ErrorCode.PROTOCOL_ERROR);
        } else if (!f.has(Frame.FLAG_ACK)) {
            control.add(FrameWriter.frame(Frame.PING, Frame.FLAG_ACK, 0, f.payload()));
        }
    }

    private void goaway(Frame f) {
        if (f.streamId() != 0 || f.payload().length < 8) {
            connectionError(f.streamId() != 0 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.FRAME_SIZE_ERROR);
            return;
        }
        goawayReceived = true;
    }

    private void windowUpdate(Frame f) {
        if (f.payload().length != 4) {
            connectionError(ErrorCode.FRAME_SIZE_ERROR);
            return;
        }
        int inc = FrameWriter.getInt(f.payload(), 0) & 0x7fff_ffff;
        if (f.streamId() == 0) {
            if (inc == 0) {
                connectionError(ErrorCode.PROTOCOL_ERROR); // §6.9
                return;
            }
            connectionWindow += inc;
            if (connectionWindow > MAX_WINDOW) {
                connectionError(ErrorCode.FLOW_CONTROL_ERROR); // §6.9.1
            }
            return;
        }
        if (f.streamId() > lastStreamId) {
            connectionError(ErrorCode.PROTOCOL_ERROR);
            return;
        }
        Outgoing o = outgoing.get(f.streamId());
        if (inc == 0) {
            outgoing.remove(f.streamId());
            control.add(FrameWriter.rstStream(f.streamId(), ErrorCode.PROTOCOL_ERROR));
            return;
        }
        if (o != null) {
            o.window += inc;
            if (o.window > MAX_WINDOW) {
                outgoing.remove(f.streamId());
                control.add(FrameWriter.rstStream(f.streamId(), ErrorCode.FLOW_CONTROL_ERROR));
            }
        }
    }

    /** §5.4.1: GOAWAY with the last stream we processed, then close. */
    private void connectionError(int code) {
        if (!goawaySent) {
            control.add(FrameWriter.goaway(lastStreamId, code));
            goawaySent = true;
        }
    }
}
