package atoll.conformance;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for the images and peers a suite starts (never a well-known port). */
public final class Ports {
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Ports() {}

    /** A TCP port free on loopback at the time of the call. */
    public static int freeTcp() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    /** A port free for both UDP and TCP on loopback at the time of the call (DNS takes both). */
    public static int freeTcpAndUdp() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK);
                held.add(tcp); // held until the end, so the next try gets another number
                try (DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), LOOPBACK)) {
                    return tcp.getLocalPort();
                } catch (SocketException taken) {
                    // UDP side in use: try another number.
                }
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        throw new IOException("no port free for both UDP and TCP on loopback");
    }
}
