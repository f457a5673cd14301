package atoll.ssh.connection;

/** What the connection layer asks of the code around it, or tells it; handled outside the engine. */
public sealed interface SessionEvent {

    /** @param certificate the user certificate's key ID, serial and CA; null for a plain key */
    record Authenticated(String user, String fingerprint, String certificate) implements SessionEvent {}

    record AuthRejected(String user, String fingerprint, String reason) implements SessionEvent {}

    /** A direct-tcpip channel that passed the policy: connect, then confirm or fail it. */
    record OpenDirectTcpip(int channel, String host, int port, String originHost, int originPort)
            implements SessionEvent {}

    /** A channel refused without connecting (policy, limits, type). */
    record ChannelRefused(String type, String destination, String reason) implements SessionEvent {}

    /** Channel data: {@code length} octets at {@code offset} in {@code buffer} (the decrypted packet; not copied). */
    record Data(int channel, byte[] buffer, int offset, int length) implements SessionEvent {}

    record Eof(int channel) implements SessionEvent {}

    /** The client closed the channel (the engine has answered its CLOSE). */
    record Closed(int channel) implements SessionEvent {}

    /** The client granted more window: blocked senders may go on. */
    record WindowOpened(int channel) implements SessionEvent {}
}
