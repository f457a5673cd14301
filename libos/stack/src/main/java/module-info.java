/**
 * Atoll's direct network stack: wire formats ({@code atoll.stack.wire}: flyweight views over pooled
 * buffers plus immutable records) and the sans-I/O protocol engines built on them. Engines take
 * frames, the current time and randomness in and hand frames out; the target drives them.
 *
 * <p>Packages depend one way: wire on nothing; link on libos buffers; arp on wire and link; ip on
 * arp; icmp, udp and tcp on ip (tcp on wire only); {@code atoll.stack} ({@link atoll.stack.EthernetInterface}) wires them.
 */
module atoll.stack {
    requires transitive atoll.libos;

    exports atoll.stack;
    exports atoll.stack.wire;
    exports atoll.stack.link;
    exports atoll.stack.arp;
    exports atoll.stack.ip;
    exports atoll.stack.icmp;
    exports atoll.stack.udp;
    exports atoll.stack.tcp;
}
