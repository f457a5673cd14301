/** ARP (RFC 826) as a sans-I/O engine: cache, requests with retry, replies, announcements. */
package atoll.stack.arp;
