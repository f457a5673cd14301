package atoll.openvpn.wire;

/**
 * The packet opcodes, from the top five bits of a packet's first octet (OpenVPN's {@code ssl_pkt.h},
 * {@code P_*} constants; the low three bits are the key id).
 *
 * <pre>
 *   0 1 2 3 4 5 6 7
 *  +-+-+-+-+-+-+-+-+
 *  | opcode  |keyid|
 *  +-+-+-+-+-+-+-+-+
 * </pre>
 */
public enum Opcode {
    CONTROL_HARD_RESET_CLIENT_V1(1),
    CONTROL_HARD_RESET_SERVER_V1(2),
    CONTROL_SOFT_RESET_V1(3),
    CONTROL_V1(4),
    ACK_V1(5),
    DATA_V1(6),
    CONTROL_HARD_RESET_CLIENT_V2(7),
    CONTROL_HARD_RESET_SERVER_V2(8),
    DATA_V2(9),
    CONTROL_HARD_RESET_CLIENT_V3(10),
    CONTROL_WKC_V1(11);

    /** Bits of the first octet that hold the key id (OpenVPN: {@code P_KEY_ID_MASK}). */
    public static final int KEY_ID_MASK = 0x07;
    /** Shift of the opcode in the first octet (OpenVPN: {@code P_OPCODE_SHIFT}). */
    public static final int OPCODE_SHIFT = 3;

    private static final Opcode[] BY_CODE = new Opcode[32];

    static {
        for (Opcode o : values()) {
            BY_CODE[o.code] = o;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The opcode in a packet's first octet, or null when the value names none. */
    public static Opcode ofFirstOctet(int octet) {
        return BY_CODE[(octet & 0xff) >>> OPCODE_SHIFT];
    }

    public static int keyIdOf(int octet) {
        return octet & KEY_ID_MASK;
    }

    public int firstOctet(int keyId) {
        return (code << OPCODE_SHIFT) | (keyId & KEY_ID_MASK);
    }

    /** Data channel packets carry no session id or acknowledgements. */
    public boolean isData() {
        return this == DATA_V1 || this == DATA_V2;
    }

    /** A P_ACK_V1 has no message packet id and no payload. */
    public boolean hasMessagePacketId() {
        return this != ACK_V1 && !isData();
    }
}
