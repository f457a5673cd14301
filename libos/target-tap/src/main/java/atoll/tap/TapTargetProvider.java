package atoll.tap;

import atoll.libos.buffer.BufferPool;
import atoll.libos.config.Config;
import atoll.libos.config.ConfigKey;
import atoll.libos.config.ValueTypes;
import atoll.libos.metrics.Metrics;
import atoll.libos.net.StreamLimits;
import atoll.libos.runtime.Platform;
import atoll.libos.runtime.StartupException;
import atoll.libos.runtime.TargetProvider;
import atoll.linux.LinuxException;
import atoll.linux.tap.TapDevice;
import atoll.libos.entropy.Entropies;
import atoll.stack.ip.IpConfig;
import atoll.stack.wire.EthernetFrame;
import atoll.stack.wire.Ipv4Address;
import atoll.stack.wire.MacAddress;
import java.util.List;
import java.util.Optional;

/**
 * The {@code tap} target: Atoll's own network stack on a Linux TAP device. One event loop thread
 * ({@link TapLoop}) reads frames into pooled buffers, drives the stack and its timers and writes
 * frames; TCP flows (when the TCP engine lands) run on virtual threads as on the socket target.
 *
 * <p>The device is opened in the process's network namespace: create it first with
 * {@code ip tuntap add dev atoll0 mode tap} and give the kernel's side an address on the same
 * network (see the README), or let the target create a device that lives as long as the process.
 */
public final class TapTargetProvider implements TargetProvider {
    static final int DEFAULT_HEADROOM = 128;
    /**
     * 64 KiB after the headroom: a buffer holds a frame, and also a reassembled IPv4 datagram of up
     * to 65,535 bytes (RFC 791 total length), which the stack assembles into one pooled buffer.
     * Memory is taken lazily, as buffers are first needed.
     */
    static final int DEFAULT_BUFFER_SIZE = 65_536 + DEFAULT_HEADROOM;

    public static final ConfigKey<String> DEVICE = ConfigKey.of("tap.device", ValueTypes.nonEmptyString(), "atoll0",
            "TAP interface to attach to (created, for the life of the process, if it does not exist; needs CAP_NET_ADMIN)");
    static final ConfigKey<Ipv4Interface> IPV4 = ConfigKey.of("ipv4", Ipv4Interface.TYPE,
            new Ipv4Interface(Ipv4Address.parse("192.0.2.2"), 24),
            "the stack's IPv4 address and prefix length on the TAP link");
    static final ConfigKey<Ipv4Address> IPV4_GATEWAY = ConfigKey.of("ipv4-gateway", LinkValueTypes.OPTIONAL_IPV4,
            Ipv4Address.UNSPECIFIED, "IPv4 router for destinations off the link (empty: none, only the link is reachable)");
    static final ConfigKey<MacAddress> MAC = ConfigKey.of("mac", LinkValueTypes.MAC, MacAddress.ZERO,
            "the stack's Ethernet address (empty: a random locally administered one at each start)");
    public static final ConfigKey<Integer> BUFFER_SIZE = ConfigKey.of("tap.buffer-size",
            ValueTypes.integer(256, 1 << 20), DEFAULT_BUFFER_SIZE,
            "bytes per pooled buffer, headroom included; must hold the headroom plus one frame (MTU + 14); larger reassembled IPv4 datagrams are dropped and counted");
    public static final ConfigKey<Integer> BUFFERS = ConfigKey.of("tap.buffers", ValueTypes.integer(8, 1 << 20), 1024,
            "most pooled buffers ever allocated; frames that find none are dropped and counted");
    public static final ConfigKey<Integer> TCP_BUFFERS = ConfigKey.of("tap.tcp-buffers",
            ValueTypes.integer(1, 1 << 20), 1024,
            "stream buffers (TCP flows' data) in a pool of their own, so TCP can never starve the frames and datagrams");
    public static final ConfigKey<Integer> HEADROOM = ConfigKey.of("tap.headroom", ValueTypes.integer(64, 4096),
            DEFAULT_HEADROOM, "bytes kept free in front of each buffer for headers to be prepended");

    @Override
    public String name() {
        return "tap";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(List.of(DEVICE, IPV4, IPV4_GATEWAY, MAC, BUFFER_SIZE,
                BUFFERS, TCP_BUFFERS, HEADROOM));
        keys.addAll(StreamLimits.KEYS);
        return keys;
    }

    /**
     * Opens the TAP device and starts the event loop.
     *
     * @throws StartupException for a configuration the device cannot honour, or a device that
     *     cannot be opened (one line: no /dev/net/tun, no permission, a TUN device of that name)
     */
    @Override
    public Platform boot(Config config, Metrics metrics) throws StartupException {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            throw new StartupException("the tap target runs on Linux only (this is " + System.getProperty("os.name")
                    + "); use --target=socket");
        }
        int size = config.get(BUFFER_SIZE);
        int headroom = config.get(HEADROOM);
        Ipv4Interface ipv4 = config.get(IPV4);
        Ipv4Address gateway = config.get(IPV4_GATEWAY);
        if (!gateway.equals(Ipv4Address.UNSPECIFIED) && (!ipv4.onLink(gateway.bits()) || gateway.equals(ipv4.address()))) {
            throw new StartupException("bad value '" + gateway + "' for configuration key '" + IPV4_GATEWAY.name()
                    + "': expected another IPv4 address on the link of " + ipv4);
        }
        TapDevice device;
        try {
            device = TapDevice.open(config.get(DEVICE));
        } catch (IllegalArgumentException e) {
            throw new StartupException("bad value '" + config.get(DEVICE) + "' for configuration key '" + DEVICE.name()
                    + "': " + e.getMessage());
        } catch (LinuxException e) {
            throw new StartupException("cannot open TAP device " + config.get(DEVICE) + ": " + e.getMessage()
                    + (e.errno() == atoll.linux.Errno.EPERM ? " (needs CAP_NET_ADMIN: run as root or grant it)" : ""), e);
        }
        if (size - headroom < device.mtu() + EthernetFrame.HEADER_LENGTH) {
            closeQuietly(device);
            throw new StartupException("tap.buffer-size " + size + " minus tap.headroom " + headroom
                    + " cannot hold a frame of the device's MTU " + device.mtu() + " (needs " + (device.mtu()
                    + EthernetFrame.HEADER_LENGTH) + ")");
        }
        BufferPool pool = new BufferPool(size, headroom, config.get(BUFFERS));
        BufferPool streamPool = new BufferPool(size, headroom, config.get(TCP_BUFFERS));
        try {
            TapLoop loop = new TapLoop(device, pool, metrics);
            MacAddress mac = config.get(MAC).equals(MacAddress.ZERO) ? randomLocalMac() : config.get(MAC);
            IpConfig ip = new IpConfig(mac, ipv4.address(), ipv4.prefixLength(),
                    gateway.equals(Ipv4Address.UNSPECIFIED) ? Optional.empty() : Optional.of(gateway), device.mtu());
            TapNetworkStack stack = new TapNetworkStack(loop, pool, streamPool, StreamLimits.from(config), metrics,
                    Entropies.secure(), ip);
            loop.start(stack.driver());
            return new TapPlatform(loop, stack, pool, streamPool, device);
        } catch (LinuxException e) {
            closeQuietly(device);
            throw new StartupException("cannot start the tap event loop: " + e.getMessage(), e);
        }
    }

    /** A random unicast, locally administered (IEEE 802 §8.2: U/L bit set, I/G bit clear) address. */
    private static MacAddress randomLocalMac() {
        long bits = new java.security.SecureRandom().nextLong() & 0xffff_ffff_ffffL;
        return new MacAddress((bits & ~0x0100_0000_0000L) | 0x0200_0000_0000L);
    }

    private static void closeQuietly(TapDevice device) {
        try {
            device.close();
        } catch (LinuxException e) {
            System.getLogger("atoll.tap").log(System.Logger.Level.WARNING, "closing the TAP device failed", e);
        }
    }
}
