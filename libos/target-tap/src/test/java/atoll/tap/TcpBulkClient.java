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
        long began = System.nanoTime();
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
            // One seeded random mebibyte, sent over and over from a moving offset: the client's
            // own cost stays small next to the path being measured.
            byte[] block = new byte[1 << 20];
            new Random(42).nextBytes(block);
            int chunk = 65536;
            long left = total;
            int at = 0;
            while (left > 0) {
                int n = (int) Math.min(chunk, left);
                n = Math.min(n, block.length - at);
                out.write(block, at, n);
                sent.update(block, at, n);
                left -= n;
                at = (at + n + 4099) % (block.length - chunk); // shifts, so segments differ
            }
            s.shutdownOutput();
            reader.join(120_000);
        }
        String a = HexFormat.of().formatHex(sent.digest());
        String b = HexFormat.of().formatHex(received.digest());
        long elapsed = System.nanoTime() - began;
        boolean ok = got[0] == total && a.equals(b);
        System.out.println("sent " + total + " received " + got[0] + " sha256 " + (ok ? "ok" : a + " != " + b));
        // Each byte crossed the link twice (there and back): the rate is per direction.
        System.out.printf(java.util.Locale.ROOT, "elapsed %.3f s, %.2f Gbit/s each way%n", elapsed / 1e9,
                total * 8 / (elapsed / 1e9) / 1e9);
        System.exit(ok ? 0 : 1);
    }
}
