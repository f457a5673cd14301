package atoll.tap;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Child JVM run inside the test's namespace: the kernel's TCP (java.net) connects to the echo
 * port of the stack under test, sends {@code bytes} seeded-random bytes while reading the echo,
 * half-closes, and compares the SHA-256 of what it sent and what came back. Prints
 * {@code sent S received R sha256 ok} and exits 0 only if they match. Bounded by a socket timeout.
 */
public final class TcpBulkClient {
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long total = Long.parseLong(args[2]);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long[] got = new long[1];
        try (Socket s = new Socket()) {
            s.connect(server, 10_000);
            s.setSoTimeout(30_000);
            Thread reader = Thread.ofPlatform().start(() -> {
                try (InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        received.update(buf, 0, n);
                        got[0] += n;
                    }
                } catch (Exception e) {
                    System.out.println("read failed after " + got[0] + ": " + e);
                }
            });
            OutputStream out = s.getOutputStream();
            Random r = new Random(42);
            byte[] chunk = new byte[16384];
            long left = total;
            while (left > 0) {
                r.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                sent.update(chunk, 0, n);
                left -= n;
            }
            s.shutdownOutput();
            reader.join(120_000);
        }
        String a = HexFormat.of().formatHex(sent.digest());
        String b = HexFormat.of().formatHex(received.digest());
        boolean ok = got[0] == total && a.equals(b);
        System.out.println("sent " + total + " received " + got[0] + " sha256 " + (ok ? "ok" : a + " != " + b));
        System.exit(ok ? 0 : 1);
    }
}
