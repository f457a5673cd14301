package atoll.conformance.openvpn;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * The far side of the tunnel's UDP check in {@link TunnelIT}: echoes every datagram to its sender,
 * bound to an address inside the test's network namespace. Run as a child JVM there:
 * {@code UpstreamUdpEcho ADDRESS PORT}. Prints "listening" once bound; runs until killed.
 */
public final class UpstreamUdpEcho {
    private UpstreamUdpEcho() {}

    public static void main(String[] args) throws Exception {
        try (DatagramSocket s = new DatagramSocket(Integer.parseInt(args[1]), InetAddress.getByName(args[0]))) {
            System.out.println("listening");
            System.out.flush();
            byte[] buf = new byte[65535];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                s.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
            }
        }
    }
}
