/** The openvpn-gw appliance: wiring of the control-channel engine to libos's devices. */
package atoll.openvpn;
