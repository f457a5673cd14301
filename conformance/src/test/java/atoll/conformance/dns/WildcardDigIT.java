package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.conformance.Feature;
import atoll.conformance.ImageProcess;
import atoll.conformance.Peer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image listening on {@code 0.0.0.0} and on {@code ::} answers each UDP query from the address
 * it was sent to, as dig requires (dig drops an answer "from unexpected source" and times out).
 * A host with several addresses is needed, so the image runs inside a network namespace made for
 * the test ({@code unshare --net}, gone with its processes) whose loopback device carries
 * documentation addresses (RFC 5737, RFC 3849) besides 127.0.0.1 and ::1; dig asks each of them
 * from 127.0.0.1 or ::1, where a kernel-chosen source would differ from the address asked.
 */
@Tag("dns-server")
@Tag("socket")
class WildcardDigIT {
    private static final List<String> V4 = List.of("192.0.2.1", "198.51.100.1", "127.0.0.1");
    private static final List<String> V6 = List.of("2001:db8::1", "2001:db8::2", "::1");
    @TempDir Path tmp;

    @Test
    @Feature("udp-source")
    void digHearsBackFromTheAddressItAsked() throws Exception {
        Dns.IMAGE.requireBuilt();
        String ip = Peer.require("ip", "iproute2").toString();
        String unshare = Peer.require("unshare", "util-linux").toString();
        String dig = Peer.require("dig", "dnsutils").toString();
        StringBuilder sh = new StringBuilder("set -e\n");
        sh.append(ip).append(" link set lo up\n");
        for (String a : List.of("192.0.2.1/32", "198.51.100.1/32", "2001:db8::1/128", "2001:db8::2/128")) {
            sh.append(ip).append(" addr add ").append(a).append(" dev lo\n");
        }
        // One appliance per family: over TCP the socket target's :: is still dual-stack, so
        // 0.0.0.0 and :: in one appliance would collide on the TCP port.
        sh.append(serve("v4", "0.0.0.0", 5300, "127.0.0.1", dig));
        sh.append(serve("v6", "::", 5301, "::1", dig));
        for (String a : V4) {
            sh.append(ask(dig, "127.0.0.1", a, 5300));
        }
        for (String a : V6) {
            sh.append(ask(dig, "::1", a, 5301));
        }
        sh.append("kill -TERM $v4 $v6\nwait $v4\nwait $v6\necho stopped-cleanly\n");

        List<String> cmd = new ArrayList<>(List.of(unshare, "--net", "--map-root-user", "sh", "-c", sh.toString()));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(ImageProcess.BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("namespace script did not end:\n" + out + logs());
        }
        assertEquals(0, p.exitValue(), () -> "namespace script failed:\n" + out + logs());
        assertFalse(out.contains("unexpected source"), out);
        for (String a : concat(V4, V6)) {
            String marker = "ASKED " + a + "\n";
            int at = out.indexOf(marker);
            assertTrue(at >= 0, () -> "no query to " + a + ":\n" + out);
            int end = out.indexOf("ASKED ", at + marker.length());
            String answer = out.substring(at, end < 0 ? out.length() : end);
            assertTrue(answer.contains("status: NOERROR"), answer);
            assertTrue(answer.contains(";; SERVER: " + a + "#"), answer);
            assertTrue(answer.matches("(?s).*www\\.example\\.com\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.80.*"), answer);
        }
        assertTrue(out.contains("stopped-cleanly"), out);
    }

    /** Starts the image in the background as $name, then waits (bounded) until it answers. */
    private String serve(String name, String listen, int port, String from, String dig) {
        return Dns.IMAGE.launcher() + " --listen=" + listen + " --port=" + port + " --state.dir=" + tmp.resolve(name)
                + " > " + name + ".log 2>&1 &\n" + name + "=$!\n"
                + "n=0; until " + dig + " @" + from + " -p " + port + " +tries=1 +time=1 +short www.example.com"
                + " >/dev/null 2>&1; do n=$((n+1)); [ $n -lt 300 ] || { echo " + name + " never answered; exit 1; };"
                + " sleep 0.1; done\n";
    }

    private static String ask(String dig, String from, String to, int port) {
        return "echo 'ASKED " + to + "'\n" + dig + " -b " + from + " @" + to + " -p " + port
                + " +notcp +norecurse +tries=1 +time=5 www.example.com A\n";
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("v4", "v6")) {
            try {
                b.append("\n--- ").append(name).append(".log\n").append(Files.readString(tmp.resolve(name + ".log")));
            } catch (java.io.IOException e) {
                b.append("\n(no ").append(name).append(".log)");
            }
        }
        return b.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
