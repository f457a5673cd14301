package atoll.dns;

import atoll.dns.wire.MessageWriter;
import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.DatagramAddresses;
import atoll.libos.net.DatagramHandler;
import atoll.libos.net.UdpEndpoint;
import java.lang.foreign.MemorySegment;

/**
 * DNS over UDP on the event loop: the query is parsed straight from the receive buffer and the
 * response written into a pooled transmit buffer, with no thread hop. The answer leaves from the
 * address the query was sent to (RFC 1122 §3.3.4.2), also when listening on a wildcard.
 */
final class UdpService implements DatagramHandler {
    private final QueryEngine engine;
    private final BufferPool pool;
    private final Metrics.Counter queries;
    private final MessageWriter writer = new MessageWriter(); // used on the event loop only

    UdpService(QueryEngine engine, BufferPool pool, Metrics.Counter queries) {
        this.engine = engine;
        this.pool = pool;
        this.queries = queries;
    }

    @Override
    public void onDatagram(UdpEndpoint endpoint, PooledBuffer payload, DatagramAddresses addresses) {
        PooledBuffer out = null;
        try {
            queries.increment();
            out = pool.tryAcquire();
            if (out == null) {
                return; // out of buffers: drop, the client retries (RFC 1035 §4.2.1)
            }
            MemorySegment room = out.memory().asSlice(out.end(), out.tailroom());
            int n = engine.respond(payload.data(), Transport.UDP, room, writer);
            if (n >= 0) {
                out.window(out.start(), out.end() + n); // append(n) without the slice it returns
                endpoint.reply(out, addresses);
                out = null; // reply took ownership
            }
        } finally {
            payload.release();
            if (out != null) {
                out.release();
            }
        }
    }
}
