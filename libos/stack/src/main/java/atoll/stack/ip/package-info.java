/** IPv4 (RFC 791, RFC 1122) as a sans-I/O engine: validation, routing, fragmentation, reassembly, path MTU. */
package atoll.stack.ip;
