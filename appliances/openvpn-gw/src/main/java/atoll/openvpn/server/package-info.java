/**
 * The server side of OpenVPN's control channel as a sans-I/O engine: stateless HMAC-cookie
 * handshake, tls-crypt unwrapping before any state, one {@code ReliableChannel} per session.
 */
package atoll.openvpn.server;
