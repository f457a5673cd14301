package atoll.conformance.dns;

import atoll.conformance.Peer;
import atoll.conformance.Ports;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One DNS server under comparison on its own loopback port: NSD, Knot DNS or the dns-server image,
 * run as a child process with its own temporary directory, or in a container whose port is
 * published on loopback ({@link ContainerDifferentialIT}). No system service, no port 53.
 */
final class ServerProcess implements AutoCloseable {

    /** What runs the server: a child process or a container; the suites query both alike. */
    interface Running {
        boolean alive();

        /** How it ended, for the failure message (an exit status). */
        String exit();

        /** The first lines of its output. */
        String log();

        void stop();
    }

    static final InetAddress LOOPBACK = Ports.LOOPBACK;
    /** How many times to ask before deciding a server never started answering. */
    static final int READY_ATTEMPTS = 300;
    /** Per-datagram wait, and how many times a query is sent before it counts as unanswered. */
    static final int TIMEOUT_MILLIS = 2000;
    static final int SENDS = 2;
    /** The largest UDP message (RFC 768 length field less headers): the receive buffer. */
    static final int MAX_UDP = 65_535;

    /** A zone every server loads: its origin and master file. */
    record ZoneFile(String origin, Path file) {}

    final String name;
    final int port;
    private final Running running;
    private final DatagramSocket socket;

    private ServerProcess(String name, int port, Running running) throws IOException {
        this.name = name;
        this.port = port;
        this.running = running;
        this.socket = new DatagramSocket(0, LOOPBACK);
        this.socket.setSoTimeout(TIMEOUT_MILLIS);
    }

    /** NSD: foreground, no privilege drop or chroot (username and chroot empty), no remote control. */
    static ServerProcess nsd(Path dir, List<ZoneFile> zones) throws IOException {
        Path binary = Peer.require("nsd", "nsd");
        int port = Ports.freeTcpAndUdp();
        Path file = dir.resolve("nsd.conf");
        Files.writeString(file, nsdConf("127.0.0.1", port, dir, zones));
        return start("nsd", port, dir, List.of(binary.toString(), "-d", "-c", file.toString()));
    }

    /**
     * NSD's configuration for the comparison (on the host or in its container image): listening on
     * {@code address} and {@code port}, its state files in {@code dir}, serving {@code zones}.
     */
    static String nsdConf(String address, int port, Path dir, List<ZoneFile> zones) {
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n")
                .append("  ip-address: ").append(address).append('\n')
                .append("  port: ").append(port).append('\n')
                .append("  username: \"\"\n")
                .append("  chroot: \"\"\n")
                .append("  zonesdir: \"").append(dir).append("\"\n")
                .append("  pidfile: \"").append(dir.resolve("nsd.pid")).append("\"\n")
                .append("  database: \"\"\n")
                .append("  zonelistfile: \"").append(dir.resolve("zone.list")).append("\"\n")
                .append("  xfrdfile: \"").append(dir.resolve("xfrd.state")).append("\"\n")
                .append("  xfrdir: \"").append(dir).append("\"\n")
                .append("  server-count: 1\n")
                // The policy dns-server follows (CONFORMANCE.md): no NS RRset added to positive answers.
                .append("  minimal-responses: yes\n")
                // NSD's response rate limiting (on by default) answers a burst from one client with
                // TC=1 and no records: the corpus is such a burst.
                .append("  rrl-ratelimit: 0\n")
                .append("  rrl-whitelist-ratelimit: 0\n")
                .append("remote-control:\n  control-enable: no\n");
        for (ZoneFile z : zones) {
            conf.append("zone:\n  name: ").append(z.origin()).append("\n  zonefile: \"").append(z.file()).append("\"\n");
        }
        return conf.toString();
    }

    /** Knot DNS: foreground, run and storage directories in the temporary one, never writes zone files back. */
    static ServerProcess knot(Path dir, List<ZoneFile> zones) throws IOException {
        Path binary = Peer.require("knotd", "knot");
        int port = Ports.freeTcpAndUdp();
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n")
                .append("  rundir: \"").append(dir).append("\"\n")
                .append("  pidfile: \"").append(dir.resolve("knot.pid")).append("\"\n")
                .append("  listen: 127.0.0.1@").append(port).append('\n')
                .append("control:\n  listen: \"").append(dir.resolve("knot.sock")).append("\"\n")
                .append("log:\n  - target: stderr\n    any: info\n")
                .append("database:\n  storage: \"").append(dir).append("\"\n")
                .append("template:\n  - id: default\n")
                .append("    storage: \"").append(dir).append("\"\n")
                .append("    zonefile-sync: -1\n")
                .append("    zonefile-load: whole\n")
                .append("    journal-content: none\n")
                .append("zone:\n");
        for (ZoneFile z : zones) {
            conf.append("  - domain: ").append(z.origin()).append("\n    file: \"").append(z.file()).append("\"\n");
        }
        Path file = dir.resolve("knot.conf");
        Files.writeString(file, conf);
        return start("knot", port, dir, List.of(binary.toString(), "-c", file.toString()));
    }

    /** The dns-server image, serving its embedded zone and the others named. */
    static ServerProcess atoll(Path dir, Path launcher, List<String> zonesOption) throws IOException {
        int port = Ports.freeTcpAndUdp();
        return start("dns-server", port, dir, List.of(launcher.toString(), "--listen=127.0.0.1", "--port=" + port,
                "--zones=" + String.join(",", zonesOption)));
    }

    private static ServerProcess start(String name, int port, Path dir, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return attach(name, port, new ChildProcess(p, log));
    }

    /** A server already started by {@code running}, answering on loopback {@code port} once ready. */
    static ServerProcess attach(String name, int port, Running running) throws IOException {
        ServerProcess server = new ServerProcess(name, port, running);
        try {
            server.awaitReady();
        } catch (IOException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Asks for example.com's SOA until an answer comes (bounded), failing fast if the process died. */
    private void awaitReady() throws IOException {
        Message probe = Message.newQuery(Record.newRecord(Name.fromConstantString("example.com."), Type.SOA, DClass.IN));
        for (int attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
            if (!running.alive()) throw new AssertionError(name + " exited with " + running.exit() + ":\n" + log());
            try {
                if (exchange(probe, 200) != null) return;
            } catch (SocketException refused) {
                // ICMP port unreachable before it binds: ask again.
            }
        }
        throw new AssertionError(name + " never answered on port " + port + ":\n" + log());
    }

    /** Sends one query over UDP and returns the matching reply, or null if none came. */
    Message query(Message query) throws IOException {
        for (int i = 0; i < SENDS; i++) {
            Message m = exchange(query, TIMEOUT_MILLIS);
            if (m != null) return m;
        }
        return null;
    }

    /**
     * Sends one query over a new TCP connection, with the two-octet length prefix of RFC 1035
     * §4.2.2, and returns the reply, or null if none came within the timeout.
     */
    Message queryTcp(Message query) throws IOException {
        byte[] wire = query.toWire();
        try (java.net.Socket tcp = new java.net.Socket()) {
            tcp.connect(new java.net.InetSocketAddress(LOOPBACK, port), TIMEOUT_MILLIS);
            tcp.setSoTimeout(TIMEOUT_MILLIS);
            java.io.DataOutputStream out = new java.io.DataOutputStream(tcp.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(tcp.getInputStream());
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            return new Message(reply);
        } catch (SocketTimeoutException | java.io.EOFException none) {
            return null;
        }
    }

    private Message exchange(Message query, int timeoutMillis) throws IOException {
        byte[] wire = query.toWire();
        socket.setSoTimeout(timeoutMillis);
        socket.send(new DatagramPacket(wire, wire.length, LOOPBACK, port));
        byte[] buf = new byte[MAX_UDP];
        // Bounded: each receive waits at most the timeout, and stale replies are few.
        for (int stale = 0; stale < 8; stale++) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (SocketTimeoutException none) {
                return null;
            }
            byte[] got = java.util.Arrays.copyOf(in.getData(), in.getLength());
            Message reply = new Message(got);
            if (reply.getHeader().getID() == query.getHeader().getID()) return reply;
        }
        return null;
    }

    String log() {
        return running.log();
    }

    @Override
    public void close() {
        socket.close();
        running.stop();
    }

    /** A child process writing to {@code log}. */
    private record ChildProcess(Process process, Path logFile) implements Running {
        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public String exit() {
            return Integer.toString(process.exitValue());
        }

        @Override
        public String log() {
            try {
                return Files.readAllLines(logFile).stream().limit(60).collect(Collectors.joining("\n"));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void stop() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + "@" + port;
    }
}
