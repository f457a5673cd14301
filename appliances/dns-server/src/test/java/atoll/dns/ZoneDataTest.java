package atoll.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.ReloadOutcome;
import atoll.libos.runtime.Running;
import atoll.libos.runtime.TargetProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The appliance in-process on a zone file of the test's own, queried by dnsjava: zone files are
 * octets (RFC 1035 §5.1), an RRset too large for any message, and reload. Written once for every
 * target, as {@link DnsServerTest} is: {@code SocketZoneDataTest} runs it on the socket target.
 */
abstract class ZoneDataTest {
    @TempDir Path tmp;

    /** The target to boot. */
    protected abstract TargetProvider target();

    /** The value of {@code --listen}: one address of the target. */
    protected abstract String listen();

    /** More command-line arguments the target needs. */
    protected List<String> targetArgs() {
        return List.of();
    }

    DnsServer server;
    Running running;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    static final String HEAD = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
            + "  NS ns1\nns1 A 192.0.2.53\n";

    Path zone(byte[] octets) throws IOException {
        return Files.write(tmp.resolve("example.com.zone"), octets);
    }

    void start(Path zone) {
        server = new DnsServer();
        List<String> args = new java.util.ArrayList<>(List.of("--listen=" + listen(), "--port=0",
                "--state.dir=" + tmp.resolve("state"), "--log.level=error", "--zones=example.com.=" + zone));
        args.addAll(targetArgs());
        running = Launcher.start(server, "test", args.toArray(String[]::new), target(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertTrue(running.isRunning(), () -> "did not start: " + err);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null && running.devices() != null) {
            var pool = running.devices().network().bufferPool();
            assertEquals(0, running.stop(), () -> "clean stop: " + err);
            pool.assertNoLeaks();
        }
    }

    SimpleResolver resolver(boolean tcp) {
        InetSocketAddress a = (tcp ? server.tcpAddresses() : server.udpAddresses()).getFirst();
        SimpleResolver r = new SimpleResolver(a);
        r.setTCP(tcp);
        r.setIgnoreTruncation(true); // see TC=1 rather than have dnsjava retry over TCP
        r.setTimeout(Duration.ofSeconds(10));
        return r;
    }

    static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    List<byte[]> txt(String name) throws IOException {
        Message r = resolver(false).send(query(name, Type.TXT));
        assertEquals(Rcode.NOERROR, r.getRcode(), r::toString);
        return ((TXTRecord) r.getSection(Section.ANSWER).getFirst()).getStringsAsByteArrays();
    }

    @Test
    void octetsInQuotedStringsAreServedAsTheyAreInTheFile() throws Exception {
        byte[] file = concat(HEAD.getBytes(StandardCharsets.US_ASCII),
                // UTF-8 "café", Latin-1 "né" (one octet 0xe9), and a comment that is not UTF-8.
                bytes("utf8 TXT \"caf\u00c3\u00a9\"\nlatin1 TXT \"n\u00e9\" ; r\u00e9sum\u00e9 \u00ff\n"));
        start(zone(file));
        assertArrayEquals(HexFormat.of().parseHex("636166c3a9"), txt("utf8.example.com.").getFirst());
        assertArrayEquals(HexFormat.of().parseHex("6ee9"), txt("latin1.example.com.").getFirst());
    }

    @Test
    void anRRsetTooLargeForAnyMessageIsTcOverUdpAndServfailOverTcp() throws Exception {
        StringBuilder z = new StringBuilder(HEAD);
        // 320 TXT records of 250 octets: about 84 000 octets, more than any DNS message holds.
        for (int i = 0; i < 320; i++) {
            z.append("big TXT \"").append(String.format("%03d", i)).append("x".repeat(247)).append("\"\n");
        }
        z.append("www A 192.0.2.80\n");
        start(zone(z.toString().getBytes(StandardCharsets.US_ASCII)));

        Message udp = resolver(false).send(query("big.example.com.", Type.TXT));
        assertTrue(udp.getHeader().getFlag(Flags.TC), udp::toString);
        assertEquals(Rcode.NOERROR, udp.getRcode(), udp::toString);

        Message tcp = resolver(true).send(query("big.example.com.", Type.TXT));
        assertEquals(Rcode.SERVFAIL, tcp.getRcode(), tcp::toString);
        assertTrue(!tcp.getHeader().getFlag(Flags.TC), "no TC over TCP: " + tcp);
        assertEquals(Name.fromString("big.example.com."), tcp.getQuestion().getName());
        assertTrue(tcp.getSection(Section.ANSWER).isEmpty(), tcp::toString);
        assertEquals(1, running.devices().metrics().counter("dns.servfail.too-large").value());

        // The rest of the zone is served over both.
        for (boolean overTcp : new boolean[] {false, true}) {
            Message www = resolver(overTcp).send(query("www.example.com.", Type.A));
            assertEquals(Rcode.NOERROR, www.getRcode());
            assertEquals(1, www.getSection(Section.ANSWER).size());
        }
    }

    @Test
    void reloadSwapsZonesAndKeepsTheOldOnesWhenTheNewFileIsBroken() throws Exception {
        Path zone = zone(bytes(HEAD + "v TXT \"one\"\n"));
        start(zone);
        assertEquals("one", new String(txt("v.example.com.").getFirst(), StandardCharsets.US_ASCII));

        Files.write(zone, bytes(HEAD.replace(" 1 7200", " 2 7200") + "v TXT \"two\"\n"));
        ReloadOutcome ok = running.reload();
        assertInstanceOf(ReloadOutcome.Reloaded.class, ok);
        assertTrue(((ReloadOutcome.Reloaded) ok).summary().contains("serial 2"), ok::toString);
        assertEquals("two", new String(txt("v.example.com.").getFirst(), StandardCharsets.US_ASCII));

        Files.write(zone, bytes(HEAD + "v TXT \"three\"\nw A 300.0.0.1\n"));
        ReloadOutcome bad = running.reload();
        assertEquals(new ReloadOutcome.Failed(zone + ":7: bad IPv4 address '300.0.0.1'"), bad);
        assertEquals("two", new String(txt("v.example.com.").getFirst(), StandardCharsets.US_ASCII));

        Files.delete(zone);
        assertInstanceOf(ReloadOutcome.Failed.class, running.reload());
        assertEquals("two", new String(txt("v.example.com.").getFirst(), StandardCharsets.US_ASCII));
        assertTrue(running.isRunning());
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
