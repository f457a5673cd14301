/** Zone transfers (RFC 5936), NOTIFY (RFC 1996) and secondary zones. */
package atoll.dns.xfr;
