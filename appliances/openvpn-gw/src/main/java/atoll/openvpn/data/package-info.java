/**
 * OpenVPN's data channel: DATA_V2 packets with peer-id, sealed by an AEAD cipher, with a packet-id
 * replay window. Keys come from the control channel's key exchange (not implemented yet).
 */
package atoll.openvpn.data;
