package atoll.dns;

/** What carried a query: it decides the response size limit and whether truncation applies. */
public enum Transport {
    /**
     * RFC 1035 §4.2.1: 512 octets, or the EDNS requestor's payload size up to this server's
     * (RFC 6891 §6.2.5); a response that does not fit is truncated (TC).
     */
    UDP,
    /** RFC 1035 §4.2.2: up to 65535 octets, the two-octet length prefix's limit. */
    TCP
}
