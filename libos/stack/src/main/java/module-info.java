/** Atoll's direct TCP/IP stack: sans-I/O engines. */
module atoll.stack {
    requires transitive atoll.libos;

    exports atoll.stack.tcp;
}
