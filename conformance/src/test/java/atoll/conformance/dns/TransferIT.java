package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.conformance.Feature;
import atoll.conformance.ImageProcess;
import atoll.conformance.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Zone transfers, TSIG and NOTIFY between the built image and real peers, all on loopback: ISC's
 * dig and Knot's kdig ({@code -y}) transfer from the image; Knot DNS (knotd, Debian package
 * {@code knot}) runs as a secondary of the image (the image NOTIFYs it after a SIGHUP with a newer
 * serial, Knot transfers with TSIG) and as the primary of a secondary zone of the image (Knot
 * NOTIFYs, the image transfers with TSIG, saves the zone, and serves it again at once after a
 * restart with Knot gone). Every wait is bounded.
 */
@Tag("dns-server")
@Tag("socket")
class TransferIT {
    static final String SECRET = "c2VjcmV0LWZvci10ZXN0cy0wMTIzNDU2Nzg5YWJjZGVm";
    static final String KEY = "hmac-sha256:xfr-key:" + SECRET;
    /** How long a peer gets to catch up (a transfer, a NOTIFY and its retries): polled every 200 ms. */
    static final int CATCH_UP_POLLS = 150;

    @TempDir Path tmp;
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void imageIsBuilt() {
        Dns.IMAGE.requireBuilt();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started.reversed()) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static String zone(String origin, long serial, int hosts) {
        StringBuilder z = new StringBuilder("$ORIGIN " + origin + "\n$TTL 300\n@ SOA ns1 hostmaster " + serial
                + " 3600 600 86400 300\n  NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n");
        for (int i = 0; i < hosts; i++) {
            z.append("host").append(i).append(" A 198.51.100.").append(i % 250 + 1).append('\n');
            z.append("host").append(i).append(" TXT \"host number ").append(i).append(" of a zone large enough to need several messages\"\n");
        }
        return z.toString();
    }

    /** Starts the image; returns once it answers for {@code probe} (any RCODE). */
    private Process image(String name, int port, String probe, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Dns.IMAGE.launcher().toString(), "--listen=127.0.0.1", "--port=" + port,
                "--state.dir=" + tmp.resolve(name + "-state")));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        started.add(p);
        for (int i = 0; i < ImageProcess.READY_POLLS; i++) {
            if (!p.isAlive()) {
                fail(name + " exited: " + log(name));
            }
            if (run("dig", "dnsutils", "@127.0.0.1", "-p", "" + port, "+tries=1", "+time=1", probe, "SOA").contains("status:")) {
                return p;
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        fail(name + " never answered: " + log(name));
        return p;
    }

    String log(String name) {
        try {
            return Files.readString(tmp.resolve(name + ".log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Runs a client (bounded); a missing one fails naming its Debian package. Returns its output. */
    static String run(String tool, String debianPackage, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new AssertionError(tool + " is not installed: apt-get install " + debianPackage, missing);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), tool + " did not finish");
        return out;
    }

    static String knotd() {
        for (String c : List.of("/usr/sbin/knotd", "/usr/bin/knotd")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new AssertionError("knotd not found: install the Debian package 'knot' (apt-get install knot)");
    }

    /** Knot DNS, unprivileged, on loopback, with the given zone/ACL configuration appended. */
    private Process knot(String name, int port, String zones) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        String conf = "server:\n  rundir: \"" + dir + "\"\n  pidfile: \"" + dir.resolve("knot.pid") + "\"\n"
                + "  listen: 127.0.0.1@" + port + "\n"
                + "control:\n  listen: \"" + dir.resolve("knot.sock") + "\"\n"
                + "log:\n  - target: stderr\n    any: info\n"
                + "database:\n  storage: \"" + dir + "\"\n"
                + "key:\n  - id: xfr-key\n    algorithm: hmac-sha256\n    secret: " + SECRET + "\n"
                + "template:\n  - id: default\n    storage: \"" + dir + "\"\n    zonefile-sync: -1\n"
                + "    journal-content: none\n"
                + zones;
        Path file = dir.resolve("knot.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(knotd(), "-c", file.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        started.add(p);
        return p;
    }

    /** The SOA serial {@code server} gives for {@code zone} (kdig), or -1 with its status line. */
    static long serial(int port, String zone) throws Exception {
        String out = run("kdig", "knot-dnsutils", "@127.0.0.1", "-p", "" + port, "+retry=0", "+time=1", "+short", zone, "SOA");
        Matcher m = Pattern.compile("\\S+ \\S+ (\\d+) ").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private void awaitSerial(int port, String zone, long expected, String who) throws Exception {
        long got = -1;
        for (int i = 0; i < CATCH_UP_POLLS && got != expected; i++) {
            got = serial(port, zone);
            if (got != expected) {
                Thread.sleep(200);
            }
        }
        assertEquals(expected, got, () -> who + " did not reach serial " + expected + "\n" + log(who) + "\n--- image:\n"
                + log("primary") + log("secondary"));
    }

    @Test
    @Feature({"axfr-out", "tsig"})
    void digAndKdigTransferFromTheImageWithTheAclAndTsig() throws Exception {
        int port = Ports.freeTcpAndUdp();
        Path zoneFile = Files.writeString(tmp.resolve("example.com.zone"), zone("example.com.", 2026112901, 1500));
        image("primary", port, "example.com", "--zones=example.com.=" + zoneFile, "--tsig.keys=" + KEY,
                "--xfr.allow=example.com.=127.0.0.1+key:xfr-key,example.com.=127.0.0.2");
        // Unsigned from 127.0.0.1: the ACL wants the key there.
        String refused = run("dig", "dnsutils", "@127.0.0.1", "-p", "" + port, "+tries=1", "+time=5", "example.com", "AXFR");
        assertTrue(refused.contains("Transfer failed"), refused);
        // Unsigned from 127.0.0.2: allowed by address. Several messages, SOA first and last.
        String byAddress = run("dig", "dnsutils", "-b", "127.0.0.2", "@127.0.0.1", "-p", "" + port, "+tries=1", "+time=5",
                "example.com", "AXFR");
        Matcher size = Pattern.compile("XFR size: (\\d+) records \\(messages (\\d+)").matcher(byAddress);
        assertTrue(size.find(), byAddress);
        assertEquals(3000 + 4 + 1, Integer.parseInt(size.group(1)), byAddress.lines().limit(5).toList().toString());
        assertTrue(Integer.parseInt(size.group(2)) > 3, "messages: " + size.group(2));
        List<String> records = byAddress.lines().filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
        assertTrue(records.getFirst().contains("\tSOA\t") && records.getLast().contains("\tSOA\t"), records.getLast());
        // Signed by dig -y and by kdig -y: every message verified by the client.
        String digSigned = run("dig", "dnsutils", "@127.0.0.1", "-p", "" + port, "+tries=1", "+time=5", "-y", KEY,
                "example.com", "AXFR");
        assertTrue(digSigned.contains("XFR size: 3005 records"), digSigned.lines().limit(8).toList().toString());
        assertTrue(!digSigned.contains("Transfer failed") && !digSigned.contains("could not be validated"), digSigned);
        String kdig = run("kdig", "knot-dnsutils", "@127.0.0.1", "-p", "" + port, "+time=5", "-y", KEY, "example.com", "AXFR");
        Matcher k = Pattern.compile(";; Received \\d+ B \\((\\d+) messages, (\\d+) records\\)").matcher(kdig);
        assertTrue(k.find() && !kdig.contains(";; ERROR") && !kdig.contains(";; WARNING"), kdig.lines().limit(8).toList() + "\n"
                + kdig.lines().filter(l -> l.startsWith(";;")).toList());
        assertEquals(3005, Integer.parseInt(k.group(2)));
        assertTrue(Integer.parseInt(k.group(1)) > 3);
        // A wrong secret: kdig sees NOTAUTH / BADSIG.
        String bad = run("kdig", "knot-dnsutils", "@127.0.0.1", "-p", "" + port, "+time=5", "-y",
                "hmac-sha256:xfr-key:" + "d3Jvbmctc2VjcmV0LWZvci10ZXN0cw==", "example.com", "AXFR");
        assertTrue(bad.contains("BADSIG"), bad);
    }

    @Test
    @Feature({"axfr-out", "notify", "tsig"})
    void knotIsASecondaryOfTheImageAndFollowsItsNotify() throws Exception {
        int ours = Ports.freeTcpAndUdp();
        int theirs = Ports.freeTcpAndUdp();
        Path zoneFile = tmp.resolve("example.com.zone");
        Files.writeString(zoneFile, zone("example.com.", 100, 200));
        Process primary = image("primary", ours, "example.com", "--zones=example.com.=" + zoneFile, "--tsig.keys=" + KEY,
                "--xfr.allow=example.com.=127.0.0.1+key:xfr-key", "--notify=example.com.=127.0.0.1@" + theirs + "+key:xfr-key");
        knot("knot-secondary", theirs, "remote:\n  - id: atoll\n    address: 127.0.0.1@" + ours + "\n    key: xfr-key\n"
                + "acl:\n  - id: from_atoll\n    address: 127.0.0.1\n    key: xfr-key\n    action: notify\n"
                + "zone:\n  - domain: example.com\n    master: atoll\n    acl: from_atoll\n");
        awaitSerial(theirs, "example.com", 100, "knot-secondary");
        // A newer serial, SIGHUP: the image reloads and NOTIFYs Knot, which transfers again.
        Files.writeString(zoneFile, zone("example.com.", 101, 201));
        new ProcessBuilder("kill", "-HUP", String.valueOf(primary.pid())).start().waitFor(10, TimeUnit.SECONDS);
        awaitSerial(theirs, "example.com", 101, "knot-secondary");
        String host = run("kdig", "knot-dnsutils", "@127.0.0.1", "-p", "" + theirs, "+short", "host200.example.com", "A");
        assertEquals("198.51.100.201", host.strip());
        assertTrue(log("primary").contains("NOTIFY example.com. serial 101 acknowledged by 127.0.0.1:" + theirs),
                log("primary"));
    }

    @Test
    @Feature({"secondary", "ixfr-in", "notify"})
    void theImageIsASecondaryOfKnotFollowsItsNotifyAndServesItsSavedCopyAfterARestart() throws Exception {
        int ours = Ports.freeTcpAndUdp();
        int theirs = Ports.freeTcpAndUdp();
        Path dir = Files.createDirectories(tmp.resolve("knot-primary"));
        Path zoneFile = dir.resolve("sec.test.zone");
        Files.writeString(zoneFile, zone("sec.test.", 7, 50));
        String secondaryArgs = "--secondary=sec.test.=127.0.0.1@" + theirs + "+key:xfr-key";
        // Before Knot runs: the zone is configured but has no data yet, so SERVFAIL.
        image("secondary", ours, "example.com", "--tsig.keys=" + KEY, secondaryArgs);
        String before = run("dig", "dnsutils", "@127.0.0.1", "-p", "" + ours, "+tries=1", "+time=3", "www.sec.test", "A");
        assertTrue(before.contains("status: SERVFAIL"), before);
        stopAll();
        started.clear();

        Process knot = knot("knot-primary", theirs, "remote:\n  - id: atoll\n    address: 127.0.0.1@" + ours
                + "\n    key: xfr-key\n"
                + "acl:\n  - id: to_atoll\n    address: 127.0.0.1\n    key: xfr-key\n    action: transfer\n"
                + "zone:\n  - domain: sec.test\n    file: \"" + zoneFile + "\"\n    notify: atoll\n    acl: to_atoll\n"
                // Knot keeps the differences between versions of the file in its journal, and serves IXFR from it.
                + "    zonefile-load: difference\n    journal-content: changes\n");
        awaitSerial(theirs, "sec.test", 7, "knot-primary");
        // A secondary-only server: no primary zone at all.
        Process image = image("secondary", ours, "example.com", "--zones=", "--tsig.keys=" + KEY, secondaryArgs);
        awaitSerial(ours, "sec.test", 7, "secondary");
        // RFC 1996 §3.10: a NOTIFY not from the primary (another address, or unsigned when the
        // primary signs) is refused.
        assertEquals(Rcode.REFUSED, notify(ours, "127.0.0.2").getRcode());
        assertEquals(Rcode.REFUSED, notify(ours, "127.0.0.1").getRcode());
        String www = run("dig", "dnsutils", "@127.0.0.1", "-p", "" + ours, "+norecurse", "www.sec.test", "A");
        assertTrue(www.contains("status: NOERROR") && www.contains("flags: qr aa") && www.contains("192.0.2.80"), www);

        // Knot reloads a newer zone and NOTIFYs the image, which transfers it.
        Files.writeString(zoneFile, zone("sec.test.", 8, 51));
        run("knotc", "knot", "-s", dir.resolve("knot.sock").toString(), "zone-reload", "sec.test");
        awaitSerial(ours, "sec.test", 8, "secondary");
        assertTrue(log("secondary").contains("transferred from 127.0.0.1:" + theirs), log("secondary"));
        // The second transfer was incremental (RFC 1995): Knot sent the differences 7 -> 8.
        assertTrue(log("secondary").contains("IXFR from 127.0.0.1:" + theirs + " incremental"), log("secondary"));
        assertEquals("198.51.100.51", run("dig", "dnsutils", "@127.0.0.1", "-p", "" + ours, "+short", "host50.sec.test", "A")
                .strip());

        // The image restarts with Knot gone: it serves the saved copy at once.
        image.destroy();
        assertTrue(image.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, image.exitValue(), log("secondary"));
        knot.destroy();
        assertTrue(knot.waitFor(20, TimeUnit.SECONDS));
        image("secondary", ours, "example.com", "--tsig.keys=" + KEY, secondaryArgs);
        assertEquals(8, serial(ours, "sec.test"));
        String host = run("dig", "dnsutils", "@127.0.0.1", "-p", "" + ours, "+short", "host50.sec.test", "A");
        assertEquals("198.51.100.51", host.strip());
    }

    /** An unsigned NOTIFY for sec.test. sent from {@code from} (dnsjava). */
    static Message notify(int port, String from) throws Exception {
        SimpleResolver r = new SimpleResolver(Ports.LOOPBACK);
        r.setPort(port);
        r.setLocalAddress(new InetSocketAddress(InetAddress.getByName(from), 0));
        r.setTimeout(Duration.ofSeconds(3));
        Message n = Message.newQuery(Record.newRecord(Name.fromString("sec.test."), Type.SOA, DClass.IN));
        n.getHeader().setOpcode(Opcode.NOTIFY);
        n.getHeader().setFlag(Flags.AA);
        n.getHeader().unsetFlag(Flags.RD);
        return r.send(n);
    }

    @Test
    @Feature({"secondary"})
    void aSecondaryWhosePrimaryIsGoneRetriesThenExpiresToServfail() throws Exception {
        int primaryPort = Ports.freeTcpAndUdp();
        int ours = Ports.freeTcpAndUdp();
        // REFRESH 1 s, RETRY 1 s, EXPIRE 4 s: the timers of RFC 1035 §4.3.5, made short.
        Path zoneFile = Files.writeString(tmp.resolve("exp.test.zone"),
                "$ORIGIN exp.test.\n$TTL 60\n@ SOA ns1 hostmaster 3 1 1 4 60\n NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.80\n");
        Process primary = image("primary", primaryPort, "exp.test", "--zones=exp.test.=" + zoneFile,
                "--xfr.allow=exp.test.=127.0.0.1");
        image("secondary", ours, "example.com", "--secondary=exp.test.=127.0.0.1@" + primaryPort);
        awaitSerial(ours, "exp.test", 3, "secondary");
        primary.destroy();
        assertTrue(primary.waitFor(20, TimeUnit.SECONDS));
        String status = "";
        for (int i = 0; i < CATCH_UP_POLLS && !status.contains("status: SERVFAIL"); i++) {
            Thread.sleep(200);
            status = run("dig", "dnsutils", "@127.0.0.1", "-p", "" + ours, "+tries=1", "+time=1", "www.exp.test", "A");
        }
        assertTrue(status.contains("status: SERVFAIL"), status + log("secondary"));
        String log = log("secondary");
        assertTrue(log.contains("refresh from 127.0.0.1:" + primaryPort + " failed") && log.contains("expired"), log);
    }
}
