package atoll.openvpn.server;

/**
 * What a client is pushed: the options (without "PUSH_REPLY," and without the data cipher, which
 * the engine negotiates and appends) and the tunnel address they give it ({@code ifconfig}), as an
 * IPv4 address in an {@code int}: what the client's packets must come from and what packets to it
 * are routed by.
 */
public record Push(String options, int tunnelAddress) {}
