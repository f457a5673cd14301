package atoll.socket;

import atoll.libos.net.UdpEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * Run by {@link WildcardBindTest} inside a network namespace of its own, whose loopback device
 * carries extra addresses: binds {@code 0.0.0.0} and {@code ::} on the socket target with an
 * answering handler, asks every extra address from a client on 127.0.0.1 or ::1, and prints one
 * line per answer naming the address asked and the address the answer came from. Exit status 0
 * when every question was answered.
 */
public final class WildcardProbe {
    private WildcardProbe() {}

    public static void main(String[] args) throws Exception {
        List<InetAddress> asked = java.util.Arrays.stream(args).map(WildcardProbe::address).toList();
        try (Booted b = new Booted()) {
            UdpEndpoint v4 = b.net().bindUdp(new InetSocketAddress("0.0.0.0", 0),
                    (e, p, a) -> e.reply(p, a));
            // The same port on :: (free there: the IPv4 binds do not hold IPv6 addresses).
            UdpEndpoint v6 = b.net().bindUdp(new InetSocketAddress("::", v4.localAddress().getPort()),
                    (e, p, a) -> e.reply(p, a));
            System.out.println("bound " + ((SocketUdpEndpoint) v4).boundAddresses() + " "
                    + ((SocketUdpEndpoint) v6).boundAddresses());
            int port = v4.localAddress().getPort();
            for (InetAddress to : asked) {
                String from = to.getAddress().length == 4 ? "127.0.0.1" : "::1";
                try (DatagramChannel c = DatagramChannel.open()) {
                    c.bind(new InetSocketAddress(from, 0));
                    c.configureBlocking(false);
                    c.send(ByteBuffer.wrap(new byte[] {42}), new InetSocketAddress(to, port));
                    ByteBuffer in = ByteBuffer.allocate(16);
                    SocketAddress answeredFrom = null;
                    long deadline = System.nanoTime() + Booted.WAIT.toNanos();
                    while (answeredFrom == null && System.nanoTime() - deadline < 0) {
                        answeredFrom = c.receive(in);
                        if (answeredFrom == null) {
                            Thread.sleep(1);
                        }
                    }
                    System.out.println("asked " + new InetSocketAddress(to, port) + " answered-from " + answeredFrom);
                }
            }
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
