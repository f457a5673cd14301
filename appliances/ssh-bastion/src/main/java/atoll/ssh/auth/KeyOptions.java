package atoll.ssh.auth;

import java.util.List;

/**
 * The authorized_keys options this bastion honours (sshd(8) AUTHORIZED_KEYS FILE FORMAT).
 *
 * @param from source address patterns, or null for any source
 * @param permitOpen destinations allowed for this key ({@code host:port}), or null for no limit
 *     beyond the user's
 * @param portForwarding false after {@code no-port-forwarding} or {@code restrict} (without a
 *     later {@code port-forwarding}): then no direct-tcpip channel is allowed at all
 * @param certAuthority {@code cert-authority}: the key is a CA, trusted to sign user certificates
 * @param principals {@code principals=} (only with cert-authority): the certificate must name one
 *     of these instead of the user name; null when absent
 */
public record KeyOptions(List<String> from, List<String> permitOpen, boolean portForwarding, boolean certAuthority,
        List<String> principals) {
    public static final KeyOptions NONE = new KeyOptions(null, null, true, false, null);

    /** The same options with port forwarding switched off (a certificate without permit-port-forwarding). */
    public KeyOptions withoutPortForwarding() {
        return new KeyOptions(from, permitOpen, false, certAuthority, principals);
    }
}
