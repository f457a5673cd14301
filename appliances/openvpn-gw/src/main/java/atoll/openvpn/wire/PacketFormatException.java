package atoll.openvpn.wire;

/** A packet from the network that does not parse; the caller drops and counts it. */
public final class PacketFormatException extends Exception {
    public PacketFormatException(String message) {
        super(message, null, false, false);
    }
}
