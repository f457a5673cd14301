package atoll.stack.wire;

/**
 * The outcome of checking untrusted bytes against a wire format. Engines count and drop anything
 * but {@link #OK}; nothing on the receive path throws.
 */
public enum Verdict {
    /** Well formed: every accessor of the view is safe. */
    OK,
    /** Fewer bytes than the header or a length field says. */
    TRUNCATED,
    /** A version field this stack does not speak (IPv4's version is not 4, ARP's hardware...). */
    BAD_VERSION,
    /** A header-length field below the minimum or beyond the packet. */
    BAD_HEADER_LENGTH,
    /** A total-length field that contradicts the header or the bytes present. */
    BAD_LENGTH,
    /** The checksum does not verify. */
    BAD_CHECKSUM,
    /** An option whose length is zero, one, runs past the header or is wrong for its kind. */
    BAD_OPTION,
    /** A field value the format forbids (a source address that is multicast, port zero...). */
    BAD_FIELD
}
