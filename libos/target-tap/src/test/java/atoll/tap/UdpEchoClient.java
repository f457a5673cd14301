package atoll.tap;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Child JVM run inside the test's namespace: the kernel's UDP (java.net) sends {@code count}
 * datagrams to the echo port of the stack under test and prints {@code echoed N/count}; exits 0
 * only if every datagram came back unchanged. Bounded: one second per answer, three tries each.
 */
public final class UdpEchoClient {
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        int echoed = 0;
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            // Connected, so that an ICMP port unreachable surfaces as PortUnreachableException.
            s.connect(server);
            byte[] in = new byte[2048];
            for (int i = 0; i < count; i++) {
                byte[] out = ("datagram " + i + " " + "x".repeat(i * 7 % 1000)).getBytes(StandardCharsets.US_ASCII);
                for (int attempt = 0; attempt < 3; attempt++) {
                    s.send(new DatagramPacket(out, out.length, server));
                    try {
                        DatagramPacket p = new DatagramPacket(in, in.length);
                        s.receive(p);
                        if (p.getSocketAddress().equals(server)
                                && java.util.Arrays.equals(out, 0, out.length, in, 0, p.getLength())) {
                            echoed++;
                            break;
                        }
                    } catch (SocketTimeoutException e) {
                        // try again
                    } catch (java.net.PortUnreachableException e) {
                        System.out.println("PortUnreachable from " + server);
                        System.exit(3);
                    }
                }
            }
        }
        System.out.println("echoed " + echoed + "/" + count);
        System.exit(echoed == count ? 0 : 1);
    }
}
