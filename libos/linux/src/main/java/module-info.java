/**
 * Linux system calls through the FFM API ({@code java.lang.foreign}; no C code, no JNI): file
 * descriptors, epoll and eventfd for an event loop, and TAP devices. The only Atoll module that
 * needs native access: run with {@code --enable-native-access=atoll.linux}.
 */
module atoll.linux {
    requires atoll.libos;

    exports atoll.linux;
    exports atoll.linux.tap;
}
