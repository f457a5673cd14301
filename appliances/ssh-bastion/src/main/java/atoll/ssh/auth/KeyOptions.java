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
 */
public record KeyOptions(List<String> from, List<String> permitOpen, boolean portForwarding) {
    public static final KeyOptions NONE = new KeyOptions(null, null, true);
}
