package atoll.linux.tap;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import atoll.linux.Epoll;
import atoll.linux.Syscalls;
import java.util.HexFormat;

/**
 * Child JVM run inside a test's network namespace: opens a TAP device, writes a hand-built ARP
 * request (RFC 826) for a target address, and prints the sender hardware address of the ARP reply
 * the kernel sends back ({@code reply <mac>}), exiting 0; exits 1 if none came within the bound.
 *
 * <p>Arguments: device, our MAC (aa:bb:..), our IPv4, the target IPv4.
 */
public final class ArpProbe {
    /** Frames read before giving up (the kernel also sends IPv6 router solicitations and such). */
    private static final int MAX_FRAMES = 200;
    private static final int MAX_WAITS = 20;
    private static final int WAIT_MILLIS = 500;
    private static final int ETHERTYPE_ARP = 0x0806;
    private static final int ARP_REPLY = 2;

    public static void main(String[] args) throws Exception {
        HexFormat colons = HexFormat.ofDelimiter(":");
        String device = args[0];
        byte[] ourMac = colons.parseHex(args[1]);
        byte[] ourIp = java.net.InetAddress.getByName(args[2]).getAddress();
        byte[] targetIp = java.net.InetAddress.getByName(args[3]).getAddress();

        try (BufferPool pool = new BufferPool(2048, 0, 4);
                TapDevice tap = TapDevice.open(device);
                Epoll epoll = new Epoll(4)) {
            epoll.add(tap.fd(), Epoll.EPOLLIN, 1);
            PooledBuffer request = pool.acquire();
            // Ethernet II: broadcast destination, our source, EtherType ARP.
            request.put(new byte[] {-1, -1, -1, -1, -1, -1}, 0, 6);
            request.put(ourMac, 0, 6);
            request.putU16(ETHERTYPE_ARP);
            // ARP for IPv4 over Ethernet: htype 1, ptype 0x0800, hlen 6, plen 4, op 1 (request).
            request.putU16(1);
            request.putU16(0x0800);
            request.putU8(6);
            request.putU8(4);
            request.putU16(1);
            request.put(ourMac, 0, 6);
            request.put(ourIp, 0, 4);
            request.put(new byte[6], 0, 6);
            request.put(targetIp, 0, 4);
            int written = tap.write(request);
            request.release();
            if (written != 42) {
                System.out.println("write returned " + written);
                System.exit(1);
            }
            int frames = 0;
            for (int waits = 0; waits < MAX_WAITS && frames < MAX_FRAMES; waits++) {
                epoll.await(WAIT_MILLIS);
                PooledBuffer frame = pool.acquire();
                try {
                    while (frames < MAX_FRAMES) {
                        frame.clear();
                        int n = tap.read(frame);
                        if (n == Syscalls.WOULD_BLOCK) {
                            break;
                        }
                        frames++;
                        if (n >= 42 && frame.getU16(12) == ETHERTYPE_ARP && frame.getU16(20) == ARP_REPLY
                                && frame.getI32(28) == java.nio.ByteBuffer.wrap(targetIp).getInt()) {
                            byte[] sha = frame.slice(22, 6).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                            System.out.println("reply " + colons.formatHex(sha) + " mtu " + tap.mtu() + " kernel "
                                    + tap.kernelMacText());
                            System.exit(0);
                        }
                    }
                } finally {
                    frame.release();
                }
            }
            System.out.println("no ARP reply for " + args[3] + " after " + frames + " frames");
            System.exit(1);
        }
    }
}
