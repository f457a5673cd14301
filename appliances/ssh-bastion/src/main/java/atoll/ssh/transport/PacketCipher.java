package atoll.ssh.transport;

/**
 * Protection of the binary packet protocol (RFC 4253 §6) in one direction: where the packet length
 * is read, how the packet is decrypted and authenticated, and the padding multiple. All in place on
 * {@code byte[]} packets laid out as {@code uint32 packet_length || packet || tag}.
 */
public sealed interface PacketCipher permits PlainCipher, AesGcmCipher, ChaChaPolyCipher, AesCtrEtmCipher {

    /** RFC 4253 §6: padding makes the protected length a multiple of this (at least 8). */
    int blockSize();

    /** True when the length field is excluded from the padding multiple (AEAD modes). */
    boolean lengthExcludedFromPadding();

    int tagLength();

    /** The packet_length of the packet whose first 4 octets are at {@code off}. */
    int packetLength(int sequence, byte[] buf, int off);

    /**
     * Authenticates and decrypts {@code 4 + packetLength + tagLength()} octets at {@code off} in
     * place, leaving the plaintext packet (padding_length, payload, padding) at {@code off + 4}.
     *
     * @throws SshDisconnect MAC_ERROR when the tag does not match
     */
    void open(int sequence, byte[] buf, int off, int packetLength) throws SshDisconnect;

    /** Encrypts the plaintext packet at {@code off} in place and writes the tag after it. */
    void seal(int sequence, byte[] buf, int off, int packetLength);

    /** The name negotiated for this cipher (RFC 4253 §6.3 and the OpenSSH extensions). */
    String name();
}
