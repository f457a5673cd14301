package atoll.stack.link;

/** What became of a packet handed down for sending. In every case the sender no longer owns it. */
public enum SendOutcome {
    /** Handed to the link. */
    SENT,
    /** Held until the next hop's link address is resolved (ARP). */
    QUEUED,
    /** Dropped: no route to the destination (off-link and no gateway). */
    NO_ROUTE,
    /** Dropped: larger than the path MTU and Don't Fragment is set. */
    TOO_BIG,
    /** Dropped: the buffer pool had nothing free for a header or fragment. */
    NO_BUFFER,
    /** Dropped: the queue of packets waiting for resolution was full, or resolution failed. */
    UNRESOLVED
}
