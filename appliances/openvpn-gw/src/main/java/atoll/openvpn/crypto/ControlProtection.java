package atoll.openvpn.crypto;

import atoll.openvpn.wire.ControlPacket;

/**
 * How control packets are protected on the wire: tls-crypt (authenticated and encrypted), tls-auth
 * (authenticated) or nothing. Implementations are not thread-safe (one per event loop).
 */
public sealed interface ControlProtection permits TlsCrypt, TlsAuth, ControlProtection.None {

    /** The outcome of unwrapping a received packet. */
    sealed interface Unwrapped {}

    /**
     * Authenticated (or unprotected and well-formed): the packet, and the wrapper's packet id for the
     * caller's replay window (-1 when unprotected: there is none).
     */
    record Authentic(ControlPacket packet, long packetId, long netTime) implements Unwrapped {}

    /** Dropped: too short, bad tag, or a body that does not parse. */
    record Rejected(String reason) implements Unwrapped {}

    /** Wraps {@code packet} for sending with wrapper packet id {@code packetId} and {@code netTime}. */
    byte[] wrap(ControlPacket packet, long packetId, long netTime);

    /** Authenticates (and decrypts) a received packet. Keeps nothing. */
    Unwrapped unwrap(byte[] datagram, int offset, int length);

    /** Whether packets carry a wrapper packet id to check for replay. */
    default boolean hasPacketId() {
        return true;
    }

    /** No protection: packets as they are ({@code --tls-auth} and {@code --tls-crypt} both absent). */
    record None() implements ControlProtection {
        @Override
        public byte[] wrap(ControlPacket packet, long packetId, long netTime) {
            return packet.toBytes();
        }

        @Override
        public Unwrapped unwrap(byte[] datagram, int offset, int length) {
            try {
                return new Authentic(ControlPacket.parse(java.util.Arrays.copyOfRange(datagram, offset, offset + length)), -1, 0);
            } catch (atoll.openvpn.wire.PacketFormatException e) {
                return new Rejected(e.getMessage());
            }
        }

        @Override
        public boolean hasPacketId() {
            return false;
        }
    }
}
