/** The socket target: Atoll's network stack interface on the host kernel's sockets (java.nio). */
module atoll.socket {
    requires atoll.libos;

    provides atoll.libos.runtime.TargetProvider with atoll.socket.SocketTargetProvider;
}
