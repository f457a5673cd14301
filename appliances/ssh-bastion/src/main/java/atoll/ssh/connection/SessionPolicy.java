package atoll.ssh.connection;

/**
 * Limits of the authentication and connection layers.
 *
 * @param maxAuthTries failed authentication requests before the connection is ended
 * @param maxChannels channels open at once on one connection
 * @param sessionBanner why a session channel (shell, command) is refused
 */
public record SessionPolicy(int maxAuthTries, int maxChannels, String sessionBanner) {}
