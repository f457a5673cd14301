package atoll.stack.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames captured from the Linux kernel with {@code tcpdump -xx} on one end of a veth pair between
 * two network namespaces (192.0.2.1 and 192.0.2.2, created for the capture and deleted after):
 * {@code linux-veth-capture.txt}. In order: 0 ARP request, 1 ARP reply, 2 ICMP echo request,
 * 3 echo reply, 4 UDP datagram "atoll" to port 5353 (the kernel left a partial, offloaded checksum
 * in it: 8422; the full one is 85d0), 5 ICMP port unreachable for it, 6–7 the two fragments of a
 * 1608-byte echo request, 8–9 the fragments of its reply.
 */
public final class Capture {
    private Capture() {}

    static final List<byte[]> FRAMES = load();

    public static byte[] frame(int i) {
        return FRAMES.get(i).clone();
    }

    private static List<byte[]> load() {
        try (InputStream in = Capture.class.getResourceAsStream("linux-veth-capture.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            List<byte[]> frames = new ArrayList<>();
            StringBuilder hex = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("\t0x")) {
                    hex.append(line.substring(line.indexOf(':') + 1));
                } else if (!line.isBlank()) {
                    if (hex != null) {
                        frames.add(Hex.bytes(hex.toString()));
                    }
                    hex = new StringBuilder();
                }
            }
            frames.add(Hex.bytes(hex.toString()));
            return List.copyOf(frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
