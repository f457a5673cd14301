/** The direct stack assembled for one Ethernet interface: {@link atoll.stack.EthernetInterface}. */
package atoll.stack;
