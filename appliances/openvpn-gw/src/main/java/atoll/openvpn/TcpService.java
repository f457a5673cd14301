package atoll.openvpn;

import atoll.libos.buffer.PooledBuffer;
import atoll.libos.net.FlowDeadlines;
import atoll.libos.net.TcpFlow;
import atoll.openvpn.server.Peer;
import atoll.openvpn.wire.TcpFramer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * OpenVPN over TCP: each connection is one client; its stream is cut into packets by a
 * {@link TcpFramer} and fed to the (shared, lock-guarded) TCP control engine as if they were
 * datagrams from the connection's address. What the engine sends to that address is framed and
 * written by a writer of the connection's own, from a bounded queue, so that neither the event
 * loop's timer nor the reader ever blocks on a slow client.
 */
final class TcpService {
    private static final System.Logger LOG = System.getLogger("openvpn-gw");
    /** Packets queued for one connection's writer; past it they are dropped (the reliability layer retransmits). */
    static final int WRITE_QUEUE = 64;
    /** The largest OpenVPN packet accepted over TCP (OpenVPN's own bound is its link MTU plus overhead; ours). */
    static final int MAX_PACKET = 2048;

    private final ConcurrentHashMap<Peer, BlockingQueue<byte[]>> writers = new ConcurrentHashMap<>();
    private final BiConsumer<Peer, byte[]> receive;
    private final java.util.function.Consumer<Peer> closed;
    private final FlowDeadlines deadlines;

    /**
     * @param receive feeds one packet from a peer to the engine (under the gateway's lock)
     * @param closed tells the engine the peer's connection is gone
     */
    TcpService(BiConsumer<Peer, byte[]> receive, java.util.function.Consumer<Peer> closed, Duration handWindow) {
        this.receive = receive;
        this.closed = closed;
        this.deadlines = new FlowDeadlines(handWindow, handWindow, Duration.ofSeconds(10));
    }

    /** Queues {@code packet} for {@code peer}'s connection; false if there is none or its queue is full. */
    boolean send(Peer peer, byte[] packet) {
        BlockingQueue<byte[]> q = writers.get(peer);
        return q != null && q.offer(TcpFramer.frame(packet));
    }

    void serve(TcpFlow flow) throws IOException {
        Peer peer = new Peer(flow.remoteAddress().getAddress(), flow.remoteAddress().getPort());
        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(WRITE_QUEUE);
        writers.put(peer, queue);
        flow.deadlines(deadlines);
        Thread writer = Thread.ofVirtual().name("openvpn-tcp-writer").start(() -> write(flow, queue));
        TcpFramer framer = new TcpFramer(MAX_PACKET);
        try {
            while (true) {
                flow.awaitReadable();
                PooledBuffer in = flow.acquireBuffer();
                try {
                    if (flow.read(in) < 0) {
                        return;
                    }
                    byte[] octets = in.toByteArray();
                    int at = 0;
                    while (at < octets.length) {
                        at += framer.feed(octets, at, octets.length - at);
                        TcpFramer.Frame f;
                        while ((f = framer.next()) instanceof TcpFramer.Packet p) {
                            receive.accept(peer, p.octets());
                        }
                        if (f instanceof TcpFramer.Broken b) {
                            LOG.log(Level.INFO, "closing tcp " + peer + ": packet length " + b.length() + " out of bounds");
                            return;
                        }
                    }
                    flow.unitComplete(false);
                } finally {
                    in.release();
                }
            }
        } finally {
            writers.remove(peer);
            writer.interrupt();
            closed.accept(peer);
        }
    }

    private static void write(TcpFlow flow, BlockingQueue<byte[]> queue) {
        try {
            while (true) {
                byte[] framed = queue.poll(1, TimeUnit.HOURS);
                if (framed == null) {
                    continue;
                }
                PooledBuffer out = flow.acquireBuffer();
                try {
                    if (out.tailroom() < framed.length) {
                        continue; // cannot happen with MAX_PACKET below the pool's buffer size
                    }
                    out.put(framed, 0, framed.length);
                    flow.write(out);
                } finally {
                    out.release();
                }
            }
        } catch (InterruptedException | IOException e) {
            // connection closed or the gateway stopping: the reader ends the flow
        }
    }
}
