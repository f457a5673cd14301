/** Atoll's SSH bastion (jump host) appliance. */
module atoll.ssh {
    requires atoll.libos;
    requires org.bouncycastle.provider;

    exports atoll.ssh;
    exports atoll.ssh.wire;
    exports atoll.ssh.transport;
    exports atoll.ssh.auth;
    exports atoll.ssh.connection;
}
