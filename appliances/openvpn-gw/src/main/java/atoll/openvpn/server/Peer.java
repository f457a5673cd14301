package atoll.openvpn.server;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** A client's transport address: what a UDP session is keyed by. */
public record Peer(InetAddress address, int port) {
    /** Address octets then port: what the session cookie binds to. */
    public byte[] cookieInput() {
        byte[] a = address.getAddress();
        return ByteBuffer.allocate(a.length + 2).put(a).putShort((short) port).array();
    }

    @Override
    public String toString() {
        return (address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
                + ":" + port;
    }
}
