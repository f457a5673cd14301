package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.Running;
import atoll.libos.runtime.TargetProvider;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The appliance running in-process on a target, on its embedded default zone, queried by dnsjava
 * over UDP and TCP on the target's IPv4 and IPv6 addresses. Written once for every target: a
 * subclass per target only says which target to boot and where it answers ({@code
 * SocketDnsServerTest}: the socket target on 127.0.0.1 and ::1). Every test ends by stopping the
 * appliance (exit status 0) and checking that no pooled buffer leaked.
 */
abstract class DnsServerTest {
    @TempDir Path tmp;

    /** The target to boot. */
    protected abstract TargetProvider target();

    /** The value of {@code --listen}: one IPv4 and (if {@link #hasIpv6()}) one IPv6 address of the target. */
    protected abstract String listen();

    /**
     * The IP versions the parameterized tests ask over (4 and 6); a subclass for a target without
     * IPv6 hides this with its own static {@code families()}, and overrides {@link #hasIpv6()}.
     */
    static List<Integer> families() {
        return List.of(4, 6);
    }

    /** Whether the target answers over IPv6 too ({@link #listen()} holds an IPv6 address). */
    protected boolean hasIpv6() {
        return true;
    }

    /** More command-line arguments the target needs (its device, addresses...). */
    protected List<String> targetArgs() {
        return List.of();
    }

    DnsServer server;
    Running running;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    void start(String... extra) {
        server = new DnsServer();
        List<String> args = new java.util.ArrayList<>(List.of(
                "--listen=" + listen(), "--port=0", "--state.dir=" + tmp.resolve("state"), "--log.level=warning"));
        args.addAll(targetArgs());
        args.addAll(List.of(extra));
        running = Launcher.start(server, "test", args.toArray(String[]::new), target(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertTrue(running.isRunning(), () -> "did not start: " + err);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null && running.devices() != null) {
            var net = running.devices().network();
            List<atoll.libos.buffer.BufferPool> pools = new java.util.ArrayList<>();
            for (int i = 0; i < net.loops(); i++) { // each event loop's own datagram pool
                pools.add(net.bufferPool(i));
            }
            var streamPool = net.streamBufferPool();
            assertEquals(0, running.stop(), () -> "clean stop: " + err);
            pools.forEach(atoll.libos.buffer.BufferPool::assertNoLeaks);
            streamPool.assertNoLeaks();
        }
    }

    SimpleResolver resolver(int family, boolean tcp) {
        // The UDP and TCP ports differ when port 0 is asked for: pick the one for the transport.
        List<InetSocketAddress> at = tcp ? server.tcpAddresses() : server.udpAddresses();
        InetSocketAddress a = at.stream().filter(s -> family == 4
                ? s.getAddress() instanceof java.net.Inet4Address
                : s.getAddress() instanceof java.net.Inet6Address).findFirst().orElseThrow();
        SimpleResolver r = new SimpleResolver(a);
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(10));
        return r;
    }

    static Message query(String name, int type) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        q.getHeader().unsetFlag(Flags.RD);
        return q;
    }

    @ParameterizedTest(name = "IPv{0}")
    @MethodSource("families")
    void answersOverUdpAndTcp(int family) throws IOException {
        start();
        for (boolean tcp : new boolean[] {false, true}) {
            Message r = resolver(family, tcp).send(query("www.example.com.", Type.A));
            assertEquals(Rcode.NOERROR, r.getRcode());
            assertTrue(r.getHeader().getFlag(Flags.AA));
            List<Record> answer = r.getSection(Section.ANSWER);
            assertEquals(1, answer.size(), r::toString);
            assertEquals("192.0.2.80", ((ARecord) answer.getFirst()).getAddress().getHostAddress());

            Message six = resolver(family, tcp).send(query("www.example.com.", Type.AAAA));
            assertEquals("2001:db8:0:0:0:0:0:80",
                    ((AAAARecord) six.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress());
        }
    }

    @Test
    void followsCnameAndAddsMailExchangerAddresses() throws IOException {
        start();
        Message cname = resolver(4, false).send(query("ftp.example.com.", Type.A));
        List<Record> answer = cname.getSection(Section.ANSWER);
        assertEquals(2, answer.size(), cname::toString);
        assertEquals("www.example.com.", ((CNAMERecord) answer.get(0)).getTarget().toString());
        assertEquals("192.0.2.80", ((ARecord) answer.get(1)).getAddress().getHostAddress());

        Message mx = resolver(4, false).send(query("example.com.", Type.MX));
        assertEquals("mail.example.com.", ((MXRecord) mx.getSection(Section.ANSWER).getFirst()).getTarget().toString());
        assertTrue(mx.getSection(Section.ADDITIONAL).stream().anyMatch(r -> r.getType() == Type.A
                && r.getName().toString().equals("mail.example.com.")), mx::toString);
    }

    @Test
    void negativeAnswersAndRefusal() throws IOException {
        start();
        Message nx = resolver(4, false).send(query("nope.example.com.", Type.A));
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        assertEquals(Type.SOA, nx.getSection(Section.AUTHORITY).getFirst().getType());
        Message nodata = resolver(hasIpv6() ? 6 : 4, true).send(query("mail.example.com.", Type.AAAA));
        assertEquals(Rcode.NOERROR, nodata.getRcode());
        assertTrue(nodata.getSection(Section.ANSWER).isEmpty());
        assertEquals(Type.SOA, nodata.getSection(Section.AUTHORITY).getFirst().getType());
        Message refused = resolver(4, false).send(query("www.example.org.", Type.A));
        assertEquals(Rcode.REFUSED, refused.getRcode());
    }

    @Test
    void tcpAnswersPipelinedQueriesInOrderAndClosesOnABadFrame() throws IOException {
        start();
        InetSocketAddress at = server.tcpAddresses().getFirst();
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            // RFC 7766 §6.2.1.1: several queries sent back to back on one connection.
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            DataOutputStream framed = new DataOutputStream(both);
            Message a = query("www.example.com.", Type.A);
            Message b = query("mail.example.com.", Type.A);
            for (Message m : List.of(a, b)) {
                byte[] wire = m.toWire();
                framed.writeShort(wire.length);
                framed.write(wire);
            }
            out.write(both.toByteArray());
            out.flush();
            for (Message expected : List.of(a, b)) {
                byte[] resp = new byte[in.readUnsignedShort()];
                in.readFully(resp);
                Message r = new Message(resp);
                assertEquals(expected.getHeader().getID(), r.getHeader().getID());
                assertEquals(expected.getQuestion().getName(), r.getQuestion().getName());
            }
            // A frame too short to be a DNS message: the server closes the connection.
            out.writeShort(3);
            out.write(new byte[3]);
            out.flush();
            assertEquals(-1, in.read());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120) // a hang detector: with the bug, stop waits the full 10 min grace
    void stopClosesIdleTcpConnectionsWithoutWaitingForTheGrace() throws Exception {
        start("--shutdown.grace=10m");
        InetSocketAddress at = server.tcpAddresses().getFirst();
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(60_000);
            // One answered query proves the connection is established and served.
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] wire = query("www.example.com.", Type.A).toWire();
            out.writeShort(wire.length);
            out.write(wire);
            DataInputStream in = new DataInputStream(s.getInputStream());
            in.readFully(new byte[in.readUnsignedShort()]);
            var pool = running.devices().network().bufferPool();
            assertEquals(0, running.stop());
            assertEquals(-1, in.read(), "the idle connection was closed by the stop");
            pool.assertNoLeaks();
        }
    }

    @Test
    void tcpIdleConnectionsAreClosed() throws IOException {
        start("--tcp.idle-timeout=200ms");
        InetSocketAddress at = server.tcpAddresses().getFirst();
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(30_000);
            assertEquals(-1, s.getInputStream().read(), "server closes an idle connection");
        }
    }

    /** Issue 6: a query trickled one octet at a time is cut at tcp.query-timeout, not kept alive by each octet. */
    @Test
    void aTrickledQueryIsClosedAtTheQueryDeadline() throws Exception {
        start("--tcp.idle-timeout=1h", "--tcp.query-timeout=500ms");
        InetSocketAddress at = server.tcpAddresses().getFirst();
        byte[] wire = query("www.example.com.", Type.A).toWire();
        byte[] framed = new byte[wire.length + 2];
        framed[1] = (byte) wire.length;
        System.arraycopy(wire, 0, framed, 2, wire.length);
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            // One octet every 200 ms: the whole query would take several seconds; each octet arrives
            // well inside the 1 h idle timeout.
            boolean closed = false;
            for (int i = 0; i < framed.length && !closed; i++) {
                try {
                    s.getOutputStream().write(framed[i]);
                    Thread.sleep(200);
                } catch (IOException e) {
                    closed = true;
                }
            }
            s.setSoTimeout(30_000);
            assertEquals(-1, s.getInputStream().read(), "closed without an answer");
        } catch (java.net.SocketException reset) {
            // closed (reset) while the last octets were in flight: also a close without an answer
        }
        assertTrue(running.devices().metrics().snapshot().get("tcp.flows.timeout.unit") >= 1);
    }

    /** Between queries a connection holds no stream buffer; while a query is incomplete it holds one. */
    @Test
    void idleTcpConnectionsHoldNoBuffer() throws Exception {
        start();
        InetSocketAddress at = server.tcpAddresses().getFirst();
        var streamPool = running.devices().network().streamBufferPool();
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] wire = query("www.example.com.", Type.A).toWire();
            out.writeShort(wire.length);
            out.write(wire);
            DataInputStream in = new DataInputStream(s.getInputStream());
            in.readFully(new byte[in.readUnsignedShort()]);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (streamPool.outstanding() != 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1); // the handler releases its buffers just after writing the answer
            }
            assertEquals(0, streamPool.outstanding(), "an idle connection holds no buffer");
            out.writeShort(wire.length); // a query begins...
            out.flush();
            while (streamPool.outstanding() != 1 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(1, streamPool.outstanding(), "an incomplete query holds one buffer");
            // On a target whose frames share the datagram pool (tap), a segment being handled
            // holds one for a moment: wait for it to come back, as above.
            var datagramPool = running.devices().network().bufferPool();
            while (datagramPool.outstanding() != 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(0, datagramPool.outstanding(), "none from the UDP pool");
        }
    }

    @Test
    void unknownKeyBadValueAndBrokenZoneStopStartUpWithOneLine() throws Exception {
        assertOneLineError(64, "no.such.key", "--no.such.key=1");
        assertOneLineError(64, "'port'", "--port=99999");
        Path zone = tmp.resolve("broken.zone");
        Files.writeString(zone, "$TTL 60\n@ IN SOA ns1 host 1 2 3 4 5\n@ IN A 300.1.1.1\n");
        assertOneLineError(64, "broken.zone:3:", "--zones=example.net.=" + zone);
        assertOneLineError(64, "missing.zone (configuration key 'zones', origin example.net.): does not exist",
                "--zones=example.net.=" + tmp.resolve("missing.zone"));
    }

    private void assertOneLineError(int status, String needle, String... args) throws InterruptedException {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of("--port=0", "--listen=" + listen(),
                "--state.dir=" + tmp.resolve("state"), "--log.level=warning"));
        all.addAll(targetArgs());
        all.addAll(List.of(args));
        Running r = Launcher.start(new DnsServer(), "test", all.toArray(String[]::new), target(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(e, true));
        assertFalse(r.isRunning());
        assertEquals(status, r.awaitExit());
        List<String> lines = e.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), () -> "exactly one line: " + lines);
        assertTrue(lines.getFirst().contains(needle), () -> lines.getFirst() + " should name " + needle);
    }
}
