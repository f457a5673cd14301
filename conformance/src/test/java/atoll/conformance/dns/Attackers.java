package atoll.conformance.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Hostile and well-behaved clients for {@link AttackIT}, on loopback only. Every attacker runs on
 * virtual threads until {@link Attack#close()} (or its deadline) and every loop is bounded in count
 * and time. Attackers and probes use different source /24 prefixes inside 127.0.0.0/8 (Linux
 * answers on the whole of it): a per-prefix limit is meant to stop the one, not the other.
 */
final class Attackers {
    private Attackers() {}

    /** The well-behaved client's source: a /24 no attacker uses. */
    static final InetAddress PROBE_SOURCE = address("127.0.1.1");
    /** The single-prefix attackers' source. */
    static final InetAddress ATTACK_SOURCE = address("127.0.0.1");

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no name lookup
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] query(int id, String name, int type) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
            m.getHeader().setID(id & 0xffff);
            return m.toWire();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] framed(byte[] message) {
        byte[] f = new byte[message.length + 2];
        f[0] = (byte) (message.length >>> 8);
        f[1] = (byte) message.length;
        System.arraycopy(message, 0, f, 2, message.length);
        return f;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A running attack: its threads stop at close() or at its deadline. */
    abstract static class Attack implements AutoCloseable {
        final InetSocketAddress server;
        final long endNanos;
        volatile boolean stop;
        final List<Thread> threads = new ArrayList<>();
        /** Connections the attacker currently believes open. */
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger connects = new AtomicInteger();
        final AtomicInteger connectFailures = new AtomicInteger();
        /** Connections that ended under the attacker (closed or reset by the server). */
        final AtomicInteger closedByServer = new AtomicInteger();
        final AtomicInteger peakOpen = new AtomicInteger();

        Attack(InetSocketAddress server, long maxSeconds) {
            this.server = server;
            this.endNanos = System.nanoTime() + maxSeconds * 1_000_000_000L;
        }

        boolean running() {
            return !stop && System.nanoTime() - endNanos < 0;
        }

        void spawn(String name, Runnable r) {
            threads.add(Thread.ofVirtual().name(name).start(r));
        }

        void opened() {
            int now = open.incrementAndGet();
            peakOpen.accumulateAndGet(now, Math::max);
        }

        Socket connect(InetAddress from) {
            connects.incrementAndGet();
            Socket s = new Socket();
            try {
                s.bind(new InetSocketAddress(from, 0));
                s.connect(server, 3000);
                return s;
            } catch (IOException e) {
                connectFailures.incrementAndGet();
                closeQuietly(s);
                return null;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(10_000);
            }
        }

        String counts() {
            return "connects " + connects + ", connect failures " + connectFailures + ", closed by server "
                    + closedByServer + ", peak open " + peakOpen + ", open now " + open;
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // an attacker does not care
        }
    }

    /**
     * The trickling-connection attack of issue 6: each connection sends one byte, then one more
     * every {@code intervalMillis}, never completing a query; a connection the server ends is
     * opened again after a pause.
     */
    static final class Trickle extends Attack {
        Trickle(InetSocketAddress server, int connections, long intervalMillis, long maxSeconds) {
            super(server, maxSeconds);
            for (int i = 0; i < connections; i++) {
                spawn("trickle-" + i, () -> {
                    while (running()) {
                        Socket s = connect(ATTACK_SOURCE);
                        if (s == null) {
                            pause(500);
                            continue;
                        }
                        opened();
                        try (s) {
                            OutputStream out = s.getOutputStream();
                            // A length of 0x0040 (a 64-octet message) that never arrives in full.
                            byte[] bytes = {0x00, 0x40};
                            int sent = 0;
                            while (running()) {
                                out.write(sent < 2 ? bytes[sent] : 0x41);
                                out.flush();
                                sent++;
                                for (long w = 0; w < intervalMillis && running(); w += 100) {
                                    pause(100);
                                }
                            }
                        } catch (IOException e) {
                            closedByServer.incrementAndGet();
                        } finally {
                            open.decrementAndGet();
                        }
                        pause(500);
                    }
                });
                pause(2); // ramp: 600 connects in about 1.5 s
            }
        }
    }

    /**
     * Slowloris: connections that send nothing at all, spread over {@code prefixes} /24s
     * (127.0.10.0/24 upwards) so that a per-prefix limit alone does not stop them; reopened when
     * the server ends them.
     */
    static final class Slowloris extends Attack {
        Slowloris(InetSocketAddress server, int connections, int prefixes, long maxSeconds) {
            super(server, maxSeconds);
            for (int i = 0; i < connections; i++) {
                InetAddress from = address("127.0." + (10 + i % prefixes) + "." + (1 + i / prefixes));
                spawn("slowloris-" + i, () -> {
                    while (running()) {
                        Socket s = connect(from);
                        if (s == null) {
                            pause(500);
                            continue;
                        }
                        opened();
                        try (s) {
                            s.setSoTimeout(200);
                            InputStream in = s.getInputStream();
                            while (running()) {
                                try {
                                    if (in.read() < 0) {
                                        closedByServer.incrementAndGet();
                                        break;
                                    }
                                } catch (SocketTimeoutException stillOpen) {
                                    // keep holding it
                                }
                            }
                        } catch (IOException e) {
                            closedByServer.incrementAndGet();
                        } finally {
                            open.decrementAndGet();
                        }
                        pause(500);
                    }
                });
                pause(2);
            }
        }
    }

    /**
     * Clients that pipeline queries and never read an answer: they send until the server stops
     * reading (its answers fill the socket buffers), then hold the connection, checking every
     * second whether the server has ended it.
     */
    static final class NeverReader extends Attack {
        final AtomicLong queriesSent = new AtomicLong();
        final AtomicInteger stalled = new AtomicInteger();

        NeverReader(InetSocketAddress server, int connections, int maxQueriesEach, long maxSeconds) {
            super(server, maxSeconds);
            byte[] q = framed(query(7, "example.com.", Type.MX));
            for (int i = 0; i < connections; i++) {
                spawn("never-reader-" + i, () -> {
                    connects.incrementAndGet();
                    try (SocketChannel ch = SocketChannel.open()) {
                        // A small receive window: the server's answers back up quickly.
                        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                        ch.bind(new InetSocketAddress(ATTACK_SOURCE, 0));
                        ch.connect(server);
                        ch.configureBlocking(false);
                        opened();
                        ByteBuffer burst = ByteBuffer.allocate(q.length * 64);
                        for (int k = 0; k < 64; k++) {
                            burst.put(q);
                        }
                        int sent = 0;
                        long idleSince = System.nanoTime();
                        while (running() && sent < maxQueriesEach) {
                            burst.clear();
                            int n = ch.write(burst);
                            if (n > 0) {
                                sent += n / q.length;
                                queriesSent.addAndGet(n / q.length);
                                idleSince = System.nanoTime();
                                // the burst may have ended mid-query: the rest is sent next round
                            } else if (System.nanoTime() - idleSince > 1_000_000_000L) {
                                break; // the server stopped reading: its side is backed up
                            } else {
                                pause(20);
                            }
                        }
                        stalled.incrementAndGet();
                        ByteBuffer one = ByteBuffer.allocate(1);
                        while (running()) {
                            pause(1000);
                            one.clear().put((byte) 0).flip();
                            ch.write(one); // fails once the server has closed or reset it
                        }
                    } catch (IOException e) {
                        closedByServer.incrementAndGet();
                    } finally {
                        if (peakOpen.get() > 0) {
                            open.decrementAndGet();
                        }
                    }
                });
            }
        }

        @Override
        String counts() {
            return super.counts() + ", queries sent " + queriesSent + ", stalled " + stalled;
        }
    }

    /**
     * A garbage flood: random UDP datagrams at about {@code datagramsPerSecond}, and TCP connections
     * that each send random bytes and hang up.
     */
    static final class Garbage extends Attack {
        final AtomicLong datagrams = new AtomicLong();
        final AtomicLong tcpGarbage = new AtomicLong();

        Garbage(InetSocketAddress server, int datagramsPerSecond, int tcpSenders, long maxSeconds) {
            super(server, maxSeconds);
            spawn("garbage-udp", () -> {
                SplittableRandom random = new SplittableRandom(6);
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ATTACK_SOURCE, 0))) {
                    byte[] b = new byte[1500];
                    long next = System.nanoTime();
                    long per = 1_000_000_000L / datagramsPerSecond;
                    while (running()) {
                        int len = random.nextInt(b.length + 1);
                        random.nextBytes(b);
                        s.send(new DatagramPacket(b, len, server));
                        datagrams.incrementAndGet();
                        next += per;
                        long wait = next - System.nanoTime();
                        if (wait > 1_000_000) {
                            pause(wait / 1_000_000);
                        }
                    }
                } catch (IOException e) {
                    // the socket failed: the flood ends
                }
            });
            for (int i = 0; i < tcpSenders; i++) {
                long seed = i;
                spawn("garbage-tcp-" + i, () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    byte[] b = new byte[2048];
                    while (running()) {
                        Socket s = connect(ATTACK_SOURCE);
                        if (s == null) {
                            pause(200);
                            continue;
                        }
                        try (s) {
                            random.nextBytes(b);
                            s.getOutputStream().write(b, 0, 1 + random.nextInt(b.length));
                            tcpGarbage.incrementAndGet();
                        } catch (IOException e) {
                            closedByServer.incrementAndGet();
                        }
                        pause(50);
                    }
                });
            }
        }

        @Override
        String counts() {
            return super.counts() + ", garbage datagrams " + datagrams + ", garbage tcp connections " + tcpGarbage;
        }
    }

    /** What a well-behaved client got while an attack ran. */
    record Service(int asked, int answered) {
        double fraction() {
            return asked == 0 ? 0 : (double) answered / asked;
        }

        @Override
        public String toString() {
            return answered + "/" + asked;
        }
    }

    /**
     * {@code count} UDP queries for www.example.com A from {@link #PROBE_SOURCE}, one every
     * {@code spacingMillis}; each waits 1 s for its answer and is asked once more if none came, as
     * a resolver retries.
     */
    static Service udpProbe(InetSocketAddress server, int count, long spacingMillis) throws IOException {
        int answered = 0;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(PROBE_SOURCE, 0))) {
            s.setSoTimeout(1000);
            byte[] in = new byte[1500];
            for (int i = 0; i < count; i++) {
                int id = 0x5000 + i;
                byte[] q = query(id, "www.example.com.", Type.A);
                boolean ok = false;
                for (int attempt = 0; attempt < 2 && !ok; attempt++) {
                    s.send(new DatagramPacket(q, q.length, server));
                    long until = System.nanoTime() + 1_000_000_000L;
                    while (!ok && System.nanoTime() - until < 0) {
                        DatagramPacket p = new DatagramPacket(in, in.length);
                        try {
                            s.receive(p);
                        } catch (SocketTimeoutException e) {
                            break;
                        }
                        ok = answers(in, p.getLength(), id);
                    }
                }
                if (ok) {
                    answered++;
                }
                pause(spacingMillis);
            }
        }
        return new Service(count, answered);
    }

    /**
     * {@code count} new TCP connections from {@link #PROBE_SOURCE}, one query each (connect within
     * 2 s, answer within 3 s); a failed one is tried once more, as a resolver retries.
     */
    static Service tcpProbe(InetSocketAddress server, int count) {
        int answered = 0;
        for (int i = 0; i < count; i++) {
            int id = 0x6000 + i;
            byte[] q = framed(query(id, "www.example.com.", Type.A));
            boolean ok = false;
            for (int attempt = 0; attempt < 2 && !ok; attempt++) {
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress(PROBE_SOURCE, 0));
                    s.connect(server, 2000);
                    s.setSoTimeout(3000);
                    s.getOutputStream().write(q);
                    InputStream in = s.getInputStream();
                    byte[] len = in.readNBytes(2);
                    if (len.length == 2) {
                        int n = ((len[0] & 0xff) << 8) | (len[1] & 0xff);
                        byte[] m = in.readNBytes(n);
                        ok = m.length == n && answers(m, n, id);
                    }
                } catch (IOException e) {
                    // counted as not answered
                }
            }
            if (ok) {
                answered++;
            }
        }
        return new Service(count, answered);
    }

    private static boolean answers(byte[] m, int length, int id) {
        try {
            Message r = new Message(java.util.Arrays.copyOf(m, length));
            return r.getHeader().getID() == id && r.getRcode() == Rcode.NOERROR && r.getHeader().getCount(1) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
