/** TSIG, transaction signatures (RFC 8945), as a sans-I/O codec. */
package atoll.dns.tsig;
