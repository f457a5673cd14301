package atoll.ssh.transport;

/** What runs over the transport once keys are in place: authentication, then connection. */
public interface UpperLayer {
    /**
     * One message of the service layer (message numbers 5, 6 and 50 and up), in order.
     *
     * @throws SshDisconnect to end the connection with that reason
     */
    void onMessage(byte[] payload) throws SshDisconnect;
}
