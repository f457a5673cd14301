/** DNS wire format: names, records and messages, parsed from and written to octets. */
package atoll.dns.wire;
