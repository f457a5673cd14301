package atoll.dns.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@link Message} in wire format (RFC 1035 §4.1) into a caller-owned {@link MemorySegment},
 * never past a size limit, compressing names (RFC 1035 §4.1.4) and truncating as RFC 2181 §9 and
 * RFC 6891 §7 say when the message does not fit.
 *
 * <p>Compression: owner names, question names and the names inside NS, CNAME, PTR, SOA (MNAME,
 * RNAME) and MX (EXCHANGE) are compressed, and become targets for later pointers. Names inside SRV
 * are not (RFC 2782: "name compression is not to be used for this field"), nor anything inside
 * other types' RDATA (RFC 3597 §4: only the RFC 1035 well-known types may be compressed). The
 * dictionary matches names ignoring ASCII case; the case written is that of the first occurrence.
 *
 * <p>An instance keeps its compression tables between calls, so writing allocates nothing per
 * label or per message; it is not thread-safe (one per event loop).
 */
public final class MessageWriter {

    /**
     * What {@link #write} produced.
     *
     * @param length octets written at the start of the destination
     * @param truncated true if records of the answer or authority section were left out and TC
     *     set (RFC 2181 §9); additional records left out do not count
     */
    public record WriteResult(int length, boolean truncated) {}

    /** RFC 1035 §4.2.1: "Messages carried by UDP are restricted to 512 bytes". */
    public static final int UDP_LIMIT = 512;
    /** The largest message there is: TCP's 16-bit length prefix (RFC 1035 §4.2.2). */
    public static final int MAX_LIMIT = 0xffff;
    /** RFC 1035 §4.1.4: a pointer holds a 14-bit offset. */
    private static final int MAX_POINTER_TARGET = 0x3fff;
    private static final int POINTER = 0xc000;

    // Compression dictionary: open addressing over (hash, offset) pairs, entries valid only when
    // stamped with the current generation, so clearing is one increment. A log of insertions in
    // order lets a rollback (a dropped RRset) rebuild the table from the entries that remain.
    private static final int TABLE_SIZE = 1 << 12; // power of two
    private static final int MAX_ENTRIES = TABLE_SIZE / 2; // keep probing short; beyond, no new entries
    private final int[] slotHash = new int[TABLE_SIZE];
    private final int[] slotOffset = new int[TABLE_SIZE];
    private final int[] slotGeneration = new int[TABLE_SIZE];
    private int generation = 1;
    private final int[] logHash = new int[MAX_ENTRIES];
    private final int[] logOffset = new int[MAX_ENTRIES];
    private int logCount;

    /** Per-name scratch: hash of each suffix, offset at which each label was written. */
    private final int[] suffixHash = new int[Name.MAX_WIRE / 2 + 1];
    private final int[] labelOffset = new int[Name.MAX_WIRE / 2 + 1];

    /** The view of the query being answered, reused: one per writer, hence one per thread. */
    private final QueryView queryView = new QueryView();

    private MemorySegment out;
    private int limit;
    private int pos;
    private boolean overflow;

    /**
     * Writes {@code message} at offset 0 of {@code dst}, using at most {@code limit} octets (and
     * never more than {@code dst} holds). The caller owns {@code dst} before and after; only the
     * first {@link WriteResult#length()} octets are meaningful.
     *
     * <p>When the message does not fit (RFC 2181 §9): additional records are dropped whole
     * RRsets at a time from the end, without setting TC ("the TC bit should not be set merely
     * because some extra information could have been included"); if the answer or authority
     * section still does not fit, the RRset that does not fit and everything after it are left
     * out and TC is set. The OPT record is kept whenever header, question and OPT fit (RFC 6891
     * §7). A message whose question does not fit is written as a bare header with TC set.
     *
     * @param limit the largest message the peer accepts, e.g. {@link #UDP_LIMIT} or the EDNS UDP
     *     payload size of the query; 12 to 65535
     */
    public WriteResult write(Message message, MemorySegment dst, int limit) {
        if (limit < Header.LENGTH || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " outside 12..65535");
        }
        this.out = dst;
        this.limit = (int) Math.min(limit, dst.byteSize());
        if (this.limit < Header.LENGTH) {
            throw new IllegalArgumentException("destination of " + dst.byteSize() + " octets holds no header");
        }
        try {
            return writeMessage(message);
        } finally {
            this.out = null;
        }
    }

    /** This writer's query view, for the caller to wrap each query in (same thread as the writer). */
    public QueryView queryView() {
        return queryView;
    }

    /** RFC 1035 §4.1.4: a pointer to the question name, which always starts right after the header. */
    private static final int POINTER_TO_QNAME = POINTER | Header.LENGTH;
    /** RFC 6891 §6.1.2: an OPT record without options: root owner, TYPE, CLASS, TTL, RDLENGTH. */
    private static final int BARE_OPT_LENGTH = 11;

    /**
     * Writes the response to the query in {@code query} from prepared records, allocating
     * nothing: the header with {@code flags}, the question copied from the query, then the three
     * sections and, if {@code optUdpPayloadSize >= 0}, an OPT record without options advertising
     * that size (RFC 6891 §6.2.5) with the query's DO bit (RFC 3225 §3). The answer records' owner is written as a pointer to the question
     * name whatever their own owner is ({@link atoll.dns.zone.LookupOutcome.Answer}). Compression
     * is that of {@link #write}, and so are the octets: this is the same message {@code write}
     * would produce for it, when it fits.
     *
     * @param flags the header's second 16-bit word (RFC 1035 §4.1.1)
     * @return the response's length, or -1 if it does not fit in {@code limit} whole: the caller
     *     then takes the general path, which truncates as RFC 2181 §9 says
     */
    public int writeAnswer(QueryView query, MemorySegment dst, int limit, int flags,
            PreparedRecords answer, PreparedRecords authority, PreparedRecords additional,
            int optUdpPayloadSize) {
        this.out = dst;
        try {
            this.limit = (int) Math.min(limit, dst.byteSize());
            if (optUdpPayloadSize >= 0) {
                this.limit -= BARE_OPT_LENGTH;
            }
            clearTable();
            overflow = false;
            pos = Header.LENGTH;
            int questionLength = query.qnameLength() + 4;
            if (!room(questionLength)) {
                return -1;
            }
            MemorySegment.copy(query.wire(), Header.LENGTH, dst, Header.LENGTH, questionLength);
            pos += questionLength;
            // The dictionary learns the question name as write() would learn it: every suffix, at
            // the offset of its first label.
            int labels = query.labelCount();
            int h = 0x9e3779b9; // the root's hash, as in name()
            for (int i = labels - 1; i >= 0; i--) {
                int at = query.labelStart(i);
                int length = query.byteAt(at);
                h = h * 31 + length;
                for (int j = 0; j < length; j++) {
                    h = h * 31 + Name.lower((byte) query.byteAt(at + 1 + j));
                }
                h ^= h >>> 16;
                suffixHash[i] = h;
            }
            for (int i = 0; i < labels; i++) {
                insert(suffixHash[i], query.labelStart(i));
            }
            for (int i = 0; i < answer.size(); i++) {
                prepared(answer, i, true);
            }
            for (int i = 0; i < authority.size(); i++) {
                prepared(authority, i, false);
            }
            for (int i = 0; i < additional.size(); i++) {
                prepared(additional, i, false);
            }
            if (overflow) {
                return -1;
            }
            this.limit += optUdpPayloadSize >= 0 ? BARE_OPT_LENGTH : 0;
            int arcount = additional.size();
            if (optUdpPayloadSize >= 0) {
                u8(0); // RFC 6891 §6.1.2: NAME "MUST be 0 (root domain)"
                u16(RRType.OPT);
                u16(optUdpPayloadSize);
                // EXTENDED-RCODE 0, VERSION 0 (RFC 6891 §6.1.3); RFC 3225 §3: "The DO bit of the query
                // MUST be copied in the response."
                u32(query.optDnssecOk() ? Edns.DO_BIT : 0);
                u16(0);
                arcount++;
            }
            out.set(Header.U16, Header.ID, (short) query.id());
            out.set(Header.U16, Header.FLAGS, (short) flags);
            out.set(Header.U16, Header.QDCOUNT, (short) 1);
            out.set(Header.U16, Header.ANCOUNT, (short) answer.size());
            out.set(Header.U16, Header.NSCOUNT, (short) authority.size());
            out.set(Header.U16, Header.ARCOUNT, (short) arcount);
            return pos;
        } finally {
            this.out = null;
        }
    }

    /** Record {@code i} of {@code rrs}: its RDATA copied when encoded in advance. */
    private void prepared(PreparedRecords rrs, int i, boolean ownerIsQuestion) {
        byte[] literal = rrs.literal(i);
        ResourceRecord rr = rrs.record(i);
        if (literal == null) {
            record(rr, ownerIsQuestion);
            return;
        }
        if (ownerIsQuestion) {
            u16(POINTER_TO_QNAME);
        } else {
            name(rr.name(), true);
        }
        u16(rr.type());
        u16(rr.rrClass());
        u32(rr.ttl());
        u16(literal.length);
        int at = pos;
        bytes(literal);
        if (rr.type() == RRType.DNAME) {
            learn(at);
        }
    }

    /**
     * Enters the uncompressed name written at {@code start} into the dictionary, so that later
     * names may point into it. For a DNAME target: RFC 6672 §2.5 says it "MUST NOT be sent out in
     * compressed form", but nothing keeps later names from pointing at it (RFC 1035 §4.1.4), and
     * the CNAME synthesized from it ends in the same labels: a DNAME answer with a long target
     * then fits where NSD sets TC and Knot drops the SOA. Reads the octets just written,
     * allocating nothing, and hashes them as {@link #name} does.
     */
    private void learn(int start) {
        if (overflow) {
            return;
        }
        int count = 0;
        for (int p = start; byteAt(p) != 0; p += 1 + byteAt(p)) {
            labelOffset[count++] = p;
        }
        int h = 0x9e3779b9; // the root's hash, as in name()
        for (int i = count - 1; i >= 0; i--) {
            int at = labelOffset[i];
            int length = byteAt(at);
            h = h * 31 + length;
            for (int j = 0; j < length; j++) {
                h = h * 31 + Name.lower((byte) byteAt(at + 1 + j));
            }
            h ^= h >>> 16;
            suffixHash[i] = h;
        }
        for (int i = 0; i < count; i++) {
            if (labelOffset[i] <= MAX_POINTER_TARGET) {
                insert(suffixHash[i], labelOffset[i]);
            }
        }
    }

    /**
     * The RDATA of {@code rr} as {@link #write} encodes it, for RDATA that holds no name compressed
     * per message (for {@link PreparedRecords}).
     */
    static byte[] literalRdata(ResourceRecord rr) {
        MessageWriter w = new MessageWriter();
        byte[] buffer = new byte[MAX_LIMIT];
        w.out = MemorySegment.ofArray(buffer);
        w.limit = MAX_LIMIT;
        w.pos = 0;
        w.clearTable();
        w.record(new ResourceRecord(Name.ROOT, rr.rrClass(), rr.ttl(), rr.rdata()), false);
        if (w.overflow) {
            throw new IllegalArgumentException("RDATA above 65535 octets");
        }
        // Root owner (1), TYPE, CLASS, TTL, RDLENGTH (10): the RDATA follows.
        return Arrays.copyOfRange(buffer, 11, w.pos);
    }

    /** The message's octets, compressed, never truncated. */
    public static byte[] toBytes(Message message) {
        byte[] buffer = new byte[MAX_LIMIT];
        WriteResult r = new MessageWriter().write(message, MemorySegment.ofArray(buffer), MAX_LIMIT);
        if (r.truncated()) {
            throw new IllegalArgumentException("message does not fit in 65535 octets");
        }
        return Arrays.copyOf(buffer, r.length());
    }

    private WriteResult writeMessage(Message m) {
        clearTable();
        overflow = false;
        pos = Header.LENGTH;
        for (Question q : m.questions()) {
            name(q.name(), true);
            u16(q.type());
            u16(q.qclass());
        }
        if (overflow) {
            // Not even the question fits: the client learns only that it must retry over TCP.
            header(m.header().withTc(true), 0, 0, 0, 0);
            return new WriteResult(Header.LENGTH, true);
        }
        int qdcount = m.questions().size();

        // RFC 6891 §7: "The minimal response MUST be the DNS header, question section, and an OPT
        // record. This MUST also occur when a truncated response ... is returned." Reserve its room.
        int fullLimit = limit;
        Edns edns = m.edns();
        if (edns != null && pos + edns.wireLength() <= limit) {
            limit -= edns.wireLength();
        } else {
            edns = null;
        }

        boolean truncated = false;
        int ancount = section(m.answers());
        if (ancount < m.answers().size()) {
            truncated = true;
        }
        int nscount = 0;
        if (!truncated) {
            nscount = section(m.authorities());
            truncated = nscount < m.authorities().size();
        }
        // RFC 2181 §9: additional data that does not fit is just left out, TC stays clear; with TC
        // set the client retries anyway, so nothing more is sent.
        int arcount = truncated ? 0 : section(m.additionals());

        limit = fullLimit;
        if (edns != null) {
            opt(edns);
            arcount++;
        }
        header(truncated ? m.header().withTc(true) : m.header(), qdcount, ancount, nscount, arcount);
        return new WriteResult(pos, truncated);
    }

    /**
     * Writes whole RRsets (runs of records with the same owner, TYPE and CLASS) until one does
     * not fit, which is rolled back: RFC 2181 §5 makes the RRset the unit of data, so no partial
     * RRset is sent. Returns the number of records written.
     */
    private int section(List<ResourceRecord> rrs) {
        int written = 0;
        int i = 0;
        while (i < rrs.size()) {
            int j = i + 1;
            ResourceRecord first = rrs.get(i);
            while (j < rrs.size() && sameRRset(first, rrs.get(j))) {
                j++;
            }
            int mark = pos;
            int logMark = logCount;
            for (int k = i; k < j; k++) {
                record(rrs.get(k), false);
            }
            if (overflow) {
                pos = mark;
                overflow = false;
                rollbackTable(logMark);
                return written;
            }
            written += j - i;
            i = j;
        }
        return written;
    }

    private static boolean sameRRset(ResourceRecord a, ResourceRecord b) {
        return a.type() == b.type() && a.rrClass() == b.rrClass() && a.name().equals(b.name());
    }

    /**
     * RFC 1035 §4.1.3. With {@code ownerIsQuestion} the owner is the question name, written as a
     * pointer to it (RFC 1035 §4.1.4): what compression makes of an owner equal to it anyway.
     */
    private void record(ResourceRecord rr, boolean ownerIsQuestion) {
        if (ownerIsQuestion) {
            u16(POINTER_TO_QNAME);
        } else {
            name(rr.name(), true);
        }
        u16(rr.type());
        u16(rr.rrClass());
        u32(rr.ttl());
        int rdlengthAt = pos;
        u16(0); // RDLENGTH, known once the (possibly compressed) RDATA is written
        int rdStart = pos;
        switch (rr.rdata()) {
            case Rdata.A a -> bytes(a.address().getAddress());
            case Rdata.AAAA a -> bytes(a.address().getAddress());
            case Rdata.NS ns -> name(ns.nsdname(), true);
            case Rdata.CNAME c -> name(c.target(), true);
            case Rdata.PTR p -> name(p.target(), true);
            case Rdata.SOA s -> {
                name(s.mname(), true);
                name(s.rname(), true);
                u32(s.serial());
                u32(s.refresh());
                u32(s.retry());
                u32(s.expire());
                u32(s.minimum());
            }
            case Rdata.MX mx -> {
                u16(mx.preference());
                name(mx.exchange(), true);
            }
            case Rdata.TXT txt -> {
                for (String s : txt.strings()) {
                    u8(s.length());
                    for (int i = 0; i < s.length(); i++) {
                        u8(s.charAt(i));
                    }
                }
            }
            // RFC 2782: "name compression is not to be used for this field."
            case Rdata.SRV srv -> {
                u16(srv.priority());
                u16(srv.weight());
                u16(srv.port());
                name(srv.target(), false);
            }
            case Rdata.Unknown u -> {
                bytes(u.data());
                if (u.type() == RRType.DNAME) {
                    learn(rdStart);
                }
            }
        }
        // Without overflow the RDATA lies inside a message of at most 65535 octets, so its length
        // fits RDLENGTH; after an overflow the record is rolled back and nothing is patched.
        if (!overflow) {
            out.set(Header.U16, rdlengthAt, (short) (pos - rdStart));
        }
    }

    /** The OPT pseudo-RR (RFC 6891 §6.1.2, §6.1.3). */
    private void opt(Edns edns) {
        u8(0); // RFC 6891 §6.1.2: NAME "MUST be 0 (root domain)"
        u16(RRType.OPT);
        u16(edns.udpPayloadSize());
        u32((long) edns.extendedRcodeHigh() << 24 | edns.version() << 16 | (edns.dnssecOk() ? Edns.DO_BIT : 0));
        int rdlength = 0;
        for (EdnsOption o : edns.options()) {
            rdlength += 4 + o.length();
        }
        u16(rdlength);
        for (EdnsOption o : edns.options()) {
            u16(o.code());
            u16(o.length());
            for (int i = 0; i < o.length(); i++) {
                u8(o.dataByte(i));
            }
        }
    }

    private void header(Header h, int qdcount, int ancount, int nscount, int arcount) {
        out.set(Header.U16, Header.ID, (short) h.id());
        out.set(Header.U16, Header.FLAGS, (short) h.flags());
        out.set(Header.U16, Header.QDCOUNT, (short) qdcount);
        out.set(Header.U16, Header.ANCOUNT, (short) ancount);
        out.set(Header.U16, Header.NSCOUNT, (short) nscount);
        out.set(Header.U16, Header.ARCOUNT, (short) arcount);
    }

    /**
     * A domain name (RFC 1035 §3.1); with {@code compress}, the longest suffix already written is
     * replaced by a pointer to it (RFC 1035 §4.1.4) and the suffixes written here become targets.
     */
    private void name(Name name, boolean compress) {
        int count = name.labelCount();
        if (compress) {
            int h = 0x9e3779b9; // the root's hash
            for (int i = count - 1; i >= 0; i--) {
                h = labelHash(h, name, i);
                suffixHash[i] = h;
            }
        }
        int written = 0; // labels written in full, which become dictionary entries
        boolean pointer = false;
        for (int i = 0; i < count; i++) {
            if (compress) {
                int target = find(name, i, suffixHash[i]);
                if (target >= 0) {
                    u16(POINTER | target);
                    pointer = true;
                    break;
                }
            }
            int length = name.labelLength(i);
            labelOffset[i] = pos;
            u8(length);
            for (int j = 0; j < length; j++) {
                u8(name.labelByte(i, j));
            }
            written++;
        }
        if (!pointer) {
            u8(0);
        }
        if (compress && !overflow) {
            for (int i = 0; i < written; i++) {
                if (labelOffset[i] <= MAX_POINTER_TARGET) {
                    insert(suffixHash[i], labelOffset[i]);
                }
            }
        }
    }

    /** Case-insensitive hash of label {@code i} chained onto the hash of the labels after it. */
    private static int labelHash(int h, Name name, int i) {
        int length = name.labelLength(i);
        h = h * 31 + length;
        for (int j = 0; j < length; j++) {
            h = h * 31 + Name.lower(name.labelByte(i, j));
        }
        return h ^ (h >>> 16);
    }

    /** Offset of an earlier copy of the suffix of {@code name} from label {@code from}, or -1. */
    private int find(Name name, int from, int hash) {
        if (overflow) {
            return -1;
        }
        int mask = TABLE_SIZE - 1;
        for (int s = hash & mask; slotGeneration[s] == generation; s = (s + 1) & mask) {
            if (slotHash[s] == hash && matches(name, from, slotOffset[s])) {
                return slotOffset[s];
            }
        }
        return -1;
    }

    /** Whether the name written at {@code offset} (by this writer, so well formed) is the suffix. */
    private boolean matches(Name name, int from, int offset) {
        int p = offset;
        int count = name.labelCount();
        for (int i = from; i <= count; i++) {
            int b = byteAt(p);
            while ((b & POINTER >>> 8) == POINTER >>> 8) {
                p = (b & 0x3f) << 8 | byteAt(p + 1);
                b = byteAt(p);
            }
            if (i == count) {
                return b == 0;
            }
            int length = name.labelLength(i);
            if (b != length) {
                return false;
            }
            for (int j = 0; j < length; j++) {
                if (Name.lower((byte) byteAt(p + 1 + j)) != Name.lower(name.labelByte(i, j))) {
                    return false;
                }
            }
            p += 1 + length;
        }
        return false; // not reached: the loop returns at i == count
    }

    private void insert(int hash, int offset) {
        if (logCount == MAX_ENTRIES) {
            return; // a full dictionary only costs compression
        }
        logHash[logCount] = hash;
        logOffset[logCount] = offset;
        logCount++;
        put(hash, offset);
    }

    private void put(int hash, int offset) {
        int mask = TABLE_SIZE - 1;
        int s = hash & mask;
        while (slotGeneration[s] == generation) {
            s = (s + 1) & mask;
        }
        slotGeneration[s] = generation;
        slotHash[s] = hash;
        slotOffset[s] = offset;
    }

    private void clearTable() {
        nextGeneration();
        logCount = 0;
    }

    /** Forgets the entries made after {@code logMark}: their octets were rolled back. */
    private void rollbackTable(int logMark) {
        nextGeneration();
        logCount = logMark;
        for (int i = 0; i < logMark; i++) {
            put(logHash[i], logOffset[i]);
        }
    }

    private void nextGeneration() {
        generation++;
        if (generation == 0) { // wrapped after 2^32 messages: stale stamps could match again
            Arrays.fill(slotGeneration, 0);
            generation = 1;
        }
    }

    private int byteAt(int offset) {
        return Byte.toUnsignedInt(out.get(ValueLayout.JAVA_BYTE, offset));
    }

    // Bounded writes: past the limit nothing is written, the position still advances and the
    // overflow flag tells the caller to roll back.

    private boolean room(int n) {
        if (overflow || pos + n > limit) {
            overflow = true;
            pos += n;
            return false;
        }
        return true;
    }

    private void u8(int v) {
        if (room(1)) {
            out.set(ValueLayout.JAVA_BYTE, pos, (byte) v);
            pos += 1;
        }
    }

    private void u16(int v) {
        if (room(2)) {
            out.set(Header.U16, pos, (short) v);
            pos += 2;
        }
    }

    private void u32(long v) {
        if (room(4)) {
            out.set(Header.U32, pos, (int) v);
            pos += 4;
        }
    }

    private void bytes(byte[] b) {
        if (room(b.length)) {
            MemorySegment.copy(b, 0, out, ValueLayout.JAVA_BYTE, pos, b.length);
            pos += b.length;
        }
    }
}
