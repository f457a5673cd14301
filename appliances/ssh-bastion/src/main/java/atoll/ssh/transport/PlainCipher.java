package atoll.ssh.transport;

/** The "none" protection used only until the first NEWKEYS (RFC 4253 §6.3, §7). */
public record PlainCipher() implements PacketCipher {
    public static final PlainCipher INSTANCE = new PlainCipher();

    @Override
    public int blockSize() {
        return 8;
    }

    @Override
    public boolean lengthExcludedFromPadding() {
        return false;
    }

    @Override
    public int tagLength() {
        return 0;
    }

    @Override
    public int packetLength(int sequence, byte[] buf, int off) {
        return Bytes.getInt(buf, off);
    }

    @Override
    public void open(int sequence, byte[] buf, int off, int packetLength) {}

    @Override
    public void seal(int sequence, byte[] buf, int off, int packetLength) {}

    @Override
    public String name() {
        return "none";
    }
}
