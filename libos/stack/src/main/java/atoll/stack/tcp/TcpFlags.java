package atoll.stack.tcp;

/** TCP header control bits (RFC 9293 §3.1; CWR/ECE from RFC 3168), as masks of the flags byte. */
public final class TcpFlags {
    private TcpFlags() {}

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** "SYN|ACK"-style text, for test messages and logs. */
    public static String toString(int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                if (!sb.isEmpty()) {
                    sb.append('|');
                }
                sb.append(names[i]);
            }
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
