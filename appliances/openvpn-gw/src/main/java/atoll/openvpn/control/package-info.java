/**
 * The control channel's reliability layer (OpenVPN's {@code reliable.c}): message packet ids,
 * acknowledgements, retransmission with back-off and in-order delivery of out-of-order arrivals.
 * Sans-I/O: time is passed in, packets are returned.
 */
package atoll.openvpn.control;
