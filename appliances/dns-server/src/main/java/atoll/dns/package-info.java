/** The DNS server appliance: configuration and wiring to the devices. */
package atoll.dns;
