/** Atoll's authoritative DNS server appliance. */
module atoll.dns {
    requires atoll.libos;

    exports atoll.dns;
    exports atoll.dns.wire;
    exports atoll.dns.zone;
    exports atoll.dns.tsig;
    exports atoll.dns.xfr;
}
