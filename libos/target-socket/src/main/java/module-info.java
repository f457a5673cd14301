/** The socket target: Atoll's network stack interface on the host kernel's sockets (java.nio). */
module atoll.target.socket {
    requires atoll.libos;

    provides atoll.libos.runtime.TargetProvider with atoll.target.socket.SocketTargetProvider;
}
