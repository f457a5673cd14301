/**
 * Control-channel protection and replay defence: OpenVPN static keys, tls-crypt, the stateless
 * session-id cookie and the packet-id replay window. Primitives come from the JDK's providers.
 */
package atoll.openvpn.crypto;
