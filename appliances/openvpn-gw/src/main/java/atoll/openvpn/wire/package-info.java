/**
 * OpenVPN's packet formats (the protocol as OpenVPN 2.6 speaks it; there is no RFC, the reference is
 * OpenVPN's own source and its protocol notes): the opcode/key-id octet and the control packet with
 * its acknowledgement array. Depends on nothing but the JDK.
 */
package atoll.openvpn.wire;
