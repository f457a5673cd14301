package atoll.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An endpoint bound to {@code 0.0.0.0} or {@code ::} answers from the address each question was
 * sent to. That needs a host with several addresses, so the check runs in a JVM started inside a
 * network namespace made for it ({@code unshare --net}: it disappears with the process), whose
 * loopback device gets documentation addresses (RFC 5737, RFC 3849) besides 127.0.0.1 and ::1.
 * The clients sit on 127.0.0.1 and ::1: a kernel-chosen source would be that address, so a wrong
 * source shows. No traffic leaves the namespace.
 */
@Timeout(180)
class WildcardBindTest {
    private static final List<String> EXTRA = List.of("192.0.2.1", "198.51.100.1", "2001:db8::1", "2001:db8::2");

    @Test
    void repliesLeaveFromTheAddressAsked() throws Exception {
        String unshare = requireTool("unshare", "util-linux");
        String ip = requireTool("ip", "iproute2");
        StringBuilder setup = new StringBuilder("set -e; " + ip + " link set lo up");
        for (String a : EXTRA) {
            setup.append("; ").append(ip).append(" addr add ").append(a).append(a.contains(":") ? "/128" : "/32").append(" dev lo");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        setup.append("; cp=\"$1\"; shift; exec \"$0\" -cp \"$cp\" atoll.socket.WildcardProbe \"$@\"");
        List<String> cmd = new ArrayList<>(List.of(unshare, "--net", "--map-root-user", "sh", "-c",
                setup.toString(), java, System.getProperty("java.class.path")));
        cmd.addAll(EXTRA);
        cmd.add("127.0.0.1");
        cmd.add("::1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(Booted.WAIT.toSeconds() * 4, TimeUnit.SECONDS), "probe did not end: " + out);
        assertEquals(0, p.exitValue(), () -> "probe failed (unshare needs root or unprivileged user namespaces):\n" + out);
        List<String> asked = new ArrayList<>(EXTRA);
        asked.add("127.0.0.1");
        asked.add("::1");
        for (String a : asked) {
            String needle = host(a) + ":";
            String line = out.lines().filter(l -> l.startsWith("asked ") && l.contains(needle))
                    .findFirst().orElseThrow(() -> new AssertionError("no answer line for " + a + " in:\n" + out));
            String[] f = line.split(" ");
            assertEquals(f[1], f[3], () -> "answer to " + f[1] + " came from " + f[3] + "\n" + out);
        }
    }

    /** InetSocketAddress.toString's host part: "/192.0.2.1" or "/2001:db8:0:0:0:0:0:1". */
    private static String host(String literal) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(literal), 0).toString().replaceFirst(":0$", "");
    }

    /** The tool's path; fails naming the Debian package when it is missing. */
    private static String requireTool(String tool, String debianPackage) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return fail("'" + tool + "' not found: install the Debian package " + debianPackage);
    }
}
