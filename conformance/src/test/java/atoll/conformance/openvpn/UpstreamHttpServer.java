package atoll.conformance.openvpn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The far side of the tunnel for {@link TunnelIT}: a minimal HTTP/1.0 file server (GET only, one
 * response per connection) bound to an address inside the test's network namespace. Run as a child
 * JVM there: {@code UpstreamHttpServer ADDRESS PORT DIRECTORY}. Prints "listening" once bound.
 */
public final class UpstreamHttpServer {
    private UpstreamHttpServer() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[2]).toAbsolutePath().normalize();
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 16, InetAddress.getByName(args[0]))) {
            System.out.println("listening");
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s, root));
            }
        }
    }

    private static void serve(Socket s, Path root) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String request = in.readLine();
            for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                // headers ignored
            }
            OutputStream out = s.getOutputStream();
            String[] parts = request == null ? new String[0] : request.split(" ");
            Path file = parts.length >= 2 && parts[1].startsWith("/") ? root.resolve(parts[1].substring(1)).normalize() : null;
            if (!"GET".equals(parts.length > 0 ? parts[0] : "") || file == null || !file.startsWith(root)
                    || !Files.isRegularFile(file)) {
                out.write("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + Files.size(file) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Files.copy(file, out);
            out.flush();
        } catch (IOException e) {
            System.out.println("connection failed: " + e);
        }
    }
}
