package atoll.https.h2;

/**
 * One HTTP/2 frame (RFC 9113 §4.1):
 *
 * <pre>
 *  +-----------------------------------------------+
 *  |                 Length (24)                   |
 *  +---------------+---------------+---------------+
 *  |   Type (8)    |   Flags (8)   |
 *  +-+-------------+---------------+-------------------------------+
 *  |R|                 Stream Identifier (31)                      |
 *  +=+=============================================================+
 *  |                   Frame Payload (0...)                      ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * @param type the frame type (RFC 9113 §6; unknown types are kept and ignored by the connection)
 * @param flags the flags octet
 * @param streamId the stream identifier, reserved bit cleared ("MUST be ignored when receiving")
 * @param payload the payload (a copy)
 */
public record Frame(int type, int flags, int streamId, byte[] payload) {
    public static final int HEADER_LENGTH = 9;

    // RFC 9113 §6 frame types.
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int PRIORITY = 0x2;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PUSH_PROMISE = 0x5;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;

    // Flags.
    public static final int FLAG_END_STREAM = 0x1;
    public static final int FLAG_ACK = 0x1;
    public static final int FLAG_END_HEADERS = 0x4;
    public static final int FLAG_PADDED = 0x8;
    public static final int FLAG_PRIORITY = 0x20;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
