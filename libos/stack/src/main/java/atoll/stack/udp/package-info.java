/** UDP (RFC 768) as a sans-I/O engine: port demultiplexing, port unreachable, sending. */
package atoll.stack.udp;
