/** Atoll's OpenVPN-compatible gateway appliance. */
module atoll.openvpn {
    requires atoll.libos;
    requires atoll.tls;
    requires atoll.stack;
    requires java.naming;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports atoll.openvpn;
    exports atoll.openvpn.wire;
    exports atoll.openvpn.control;
    exports atoll.openvpn.crypto;
    exports atoll.openvpn.data;
    exports atoll.openvpn.server;
    exports atoll.openvpn.tool;
    exports atoll.openvpn.gateway;
}
