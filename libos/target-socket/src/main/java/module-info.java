/**
 * The socket target: Atoll's network stack interface on the host kernel's sockets: java.nio, and
 * on Linux batched UDP (recvmmsg/sendmmsg) through {@code atoll.linux} when native access is
 * granted to it.
 */
module atoll.socket {
    requires atoll.libos;
    requires atoll.linux;

    provides atoll.libos.runtime.TargetProvider with atoll.socket.SocketTargetProvider;
}
