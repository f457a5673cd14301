/**
 * The tap target: Atoll's own Ethernet/ARP/IPv4 stack on a Linux TAP device opened through the
 * FFM API ({@code atoll.linux}), driven by one event loop thread.
 */
module atoll.tap {
    requires atoll.libos;
    requires atoll.linux;
    requires atoll.stack;

    provides atoll.libos.runtime.TargetProvider with atoll.tap.TapTargetProvider;
}
