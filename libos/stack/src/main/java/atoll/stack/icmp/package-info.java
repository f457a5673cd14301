/** ICMPv4 (RFC 792) as a sans-I/O engine: echo, rate-limited errors, path-MTU feedback. */
package atoll.stack.icmp;
