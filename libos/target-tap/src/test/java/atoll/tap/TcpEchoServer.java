package atoll.tap;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Child JVM run inside the test's namespace: the kernel's TCP as a server. Listens on the given
 * address, prints {@code listening}, echoes one connection until the peer half-closes, then
 * closes and exits 0 (bounded by a 120 s accept and read timeout).
 */
public final class TcpEchoServer {
    public static void main(String[] args) throws Exception {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
            ss.setSoTimeout(120_000);
            System.out.println("listening");
            System.out.flush();
            long echoed = 0;
            try (Socket s = ss.accept()) {
                s.setSoTimeout(120_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    echoed += n;
                }
                s.shutdownOutput();
            }
            System.out.println("echoed " + echoed);
        }
    }
}
