/** Zones: RFC 1035 master files and the authoritative lookup over them. */
package atoll.dns.zone;
