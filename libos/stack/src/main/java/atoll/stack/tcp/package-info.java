/**
 * The TCP engine (RFC 9293), sans-I/O: {@link atoll.stack.tcp.TcpStack} is one host's TCP layer.
 *
 * <p>Driving it (the target's loop, one thread):
 * <ul>
 *   <li>{@link atoll.stack.tcp.TcpStack#receive(long, int, int, atoll.libos.buffer.PooledBuffer)}
 *       for every TCP segment (the buffer's window is the TCP header and payload; IPv4 source and
 *       destination as ints); the stack verifies the checksum, demultiplexes by 4-tuple (an
 *       open-addressing table, no allocation) and answers for listeners and closed ports;</li>
 *   <li>{@link atoll.stack.tcp.TcpStack#nextDeadline()} and
 *       {@link atoll.stack.tcp.TcpStack#onTimer(long)} for the timers (retransmission, persist,
 *       delayed ACK, keepalive, TIME-WAIT);</li>
 *   <li>the {@link atoll.stack.tcp.TcpStack.Output} given at construction receives every segment to
 *       send, with its source and destination; {@link atoll.stack.tcp.TcpOverIpv4} wires both
 *       directions to the IPv4 engine.</li>
 * </ul>
 *
 * <p>Using it (the application, on the same thread, usually from its handler):
 * {@link atoll.stack.tcp.TcpStack#listen} with a {@link atoll.stack.tcp.TcpListenHandler} that
 * hands each accepted connection a {@link atoll.stack.tcp.TcpHandler};
 * {@link atoll.stack.tcp.TcpStack#connect}; then on a {@link atoll.stack.tcp.TcpConnection}
 * {@code write}, {@code read} (copy) or {@code readBuffer} (zero-copy: the received pooled
 * buffer itself), {@code close} (FIN, reading goes on), {@code abort} (RST) and
 * {@code setNagle}. Events (connected, readable, writable, peerClosed, closed with a
 * {@link atoll.stack.tcp.CloseReason}) are delivered after the segment or timer that caused them
 * has been processed, so handlers may call back in. Time is the {@code now} (monotonic
 * nanoseconds) of the latest call; {@link atoll.stack.tcp.TcpStack#setTime} moves it for calls
 * made outside a handler. Randomness (ISN key, timestamp offsets, ports, challenge-ACK budgets)
 * comes from the injected {@link atoll.libos.entropy.Entropy}.
 */
package atoll.stack.tcp;
