/**
 * Atoll's direct network stack: wire formats ({@code atoll.stack.wire}: flyweight views over pooled
 * buffers plus immutable records) and the sans-I/O protocol engines built on them. Engines take
 * frames, the current time and randomness in and hand frames out; the target drives them.
 */
module atoll.stack {
    requires transitive atoll.libos;

    exports atoll.stack.wire;
}
