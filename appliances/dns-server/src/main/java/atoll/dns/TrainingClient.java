package atoll.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HexFormat;

/**
 * The image build's training client (libos/image-builder: {@code --train-client}): given
 * {@code HOST PORT} (always loopback), it asks the training run of the server a few fixed queries
 * over UDP and TCP and exits 0 once each got an answer with its ID, so that the classes and
 * profiles of the query path go into the image's AOT cache. Not used by the server itself.
 */
public final class TrainingClient {
    private TrainingClient() {}

    /** RFC 1035 §4.1 messages: www.example.com. A; nosuchname.example.com. A; www A with EDNS (RFC 6891 OPT, 1232). */
    private static final String[] QUERIES = {
        "a70c01000001000000000000" + "03777777076578616d706c6503636f6d00" + "00010001",
        "a70d01000001000000000000" + "0a6e6f737563686e616d65076578616d706c6503636f6d00" + "00010001",
        "a70e01000001000000000001" + "03777777076578616d706c6503636f6d00" + "00010001" + "00002904d0000000000000",
    };
    private static final int ROUNDS = 50, TIMEOUT_MILLIS = 5000;

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        HexFormat hex = HexFormat.of();
        try (DatagramSocket udp = new DatagramSocket()) {
            udp.setSoTimeout(TIMEOUT_MILLIS);
            udp.connect(server);
            byte[] in = new byte[4096];
            for (int round = 0; round < ROUNDS; round++) {
                for (String q : QUERIES) {
                    byte[] query = hex.parseHex(q);
                    udp.send(new DatagramPacket(query, query.length));
                    DatagramPacket reply = new DatagramPacket(in, in.length);
                    udp.receive(reply);
                    check(query, in, reply.getLength());
                }
            }
        }
        for (String q : QUERIES) {
            byte[] query = hex.parseHex(q);
            try (Socket tcp = new Socket()) {
                tcp.connect(server, TIMEOUT_MILLIS);
                tcp.setSoTimeout(TIMEOUT_MILLIS);
                DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
                out.writeShort(query.length); // RFC 1035 §4.2.2: two-octet length prefix
                out.write(query);
                out.flush();
                DataInputStream din = new DataInputStream(tcp.getInputStream());
                byte[] reply = new byte[din.readUnsignedShort()];
                din.readFully(reply);
                check(query, reply, reply.length);
            }
        }
    }

    private static void check(byte[] query, byte[] reply, int length) {
        if (length < 12 || reply[0] != query[0] || reply[1] != query[1] || (reply[2] & 0x80) == 0) {
            throw new IllegalStateException("training query " + HexFormat.of().formatHex(query, 0, 2) + ": no matching response");
        }
    }
}
