package atoll.https.h2;

/** Encodes frames (RFC 9113 §4.1, §6) into arrays. */
public final class FrameWriter {
    private FrameWriter() {}

    public static byte[] frame(int type, int flags, int streamId, byte[] payload, int offset, int length) {
        byte[] out = new byte[Frame.HEADER_LENGTH + length];
        out[0] = (byte) (length >>> 16);
        out[1] = (byte) (length >>> 8);
        out[2] = (byte) length;
        out[3] = (byte) type;
        out[4] = (byte) flags;
        out[5] = (byte) ((streamId >>> 24) & 0x7f);
        out[6] = (byte) (streamId >>> 16);
        out[7] = (byte) (streamId >>> 8);
        out[8] = (byte) streamId;
        System.arraycopy(payload, offset, out, Frame.HEADER_LENGTH, length);
        return out;
    }

    public static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        return frame(type, flags, streamId, payload, 0, payload.length);
    }

    /** SETTINGS (RFC 9113 §6.5.1): identifier (16) and value (32) pairs. */
    public static byte[] settings(int... idValuePairs) {
        byte[] p = new byte[idValuePairs.length / 2 * 6];
        for (int i = 0, o = 0; i < idValuePairs.length; i += 2, o += 6) {
            p[o] = (byte) (idValuePairs[i] >>> 8);
            p[o + 1] = (byte) idValuePairs[i];
            putInt(p, o + 2, idValuePairs[i + 1]);
        }
        return frame(Frame.SETTINGS, 0, 0, p);
    }

    public static byte[] settingsAck() {
        return frame(Frame.SETTINGS, Frame.FLAG_ACK, 0, new byte[0]);
    }

    public static byte[] goaway(int lastStreamId, int errorCode) {
        byte[] p = new byte[8];
        putInt(p, 0, lastStreamId & 0x7fff_ffff);
        putInt(p, 4, errorCode);
        return frame(Frame.GOAWAY, 0, 0, p);
    }

    public static byte[] rstStream(int streamId, int errorCode) {
        byte[] p = new byte[4];
        putInt(p, 0, errorCode);
        return frame(Frame.RST_STREAM, 0, streamId, p);
    }

    public static byte[] windowUpdate(int streamId, int increment) {
        byte[] p = new byte[4];
        putInt(p, 0, increment & 0x7fff_ffff);
        return frame(Frame.WINDOW_UPDATE, 0, streamId, p);
    }

    static void putInt(byte[] p, int o, int v) {
        p[o] = (byte) (v >>> 24);
        p[o + 1] = (byte) (v >>> 16);
        p[o + 2] = (byte) (v >>> 8);
        p[o + 3] = (byte) v;
    }

    static int getInt(byte[] p, int o) {
        return (p[o] & 0xff) << 24 | (p[o + 1] & 0xff) << 16 | (p[o + 2] & 0xff) << 8 | (p[o + 3] & 0xff);
    }
}
