package atoll.dns.zone;

import atoll.dns.wire.Header;
import atoll.dns.wire.Message;
import atoll.dns.wire.MessageWriter;
import atoll.dns.wire.Name;
import atoll.dns.wire.Opcode;
import atoll.dns.wire.Question;
import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rdata;
import atoll.dns.wire.ResourceRecord;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The zone-level half of loading a master file: takes the records {@link ZoneFileParser} read, each
 * with its line, and checks what only the whole zone shows (RFC 1035 §5.2, RFC 1034 §4.2.1): one
 * SOA at the apex, NS at the apex, no data out of zone, CNAME alone at its node, glue for every
 * name server below a delegation inside it. Errors name {@code file:line}.
 */
final class ZoneBuilder {
    /** RFC 4034 §3 / §4: DNSSEC types allowed beside a CNAME (RFC 2181 §10.1, RFC 4035 §2.5). */
    private static final int RRSIG = RRType.RRSIG;
    private static final int NSEC = RRType.NSEC;

    private final String source;
    private final Name apexGiven;
    private final List<Parsed> parsed = new ArrayList<>();

    /** A record and the index of its place in {@link #places}. */
    private record Parsed(ResourceRecord rr, int line) {}

    /** Where a record was read: the main file or one it includes ($INCLUDE), and the line. */
    private record Place(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    private final List<Place> places = new ArrayList<>();

    ZoneBuilder(String source, Name apexGiven) {
        this.source = source;
        this.apexGiven = apexGiven;
    }

    void add(ResourceRecord rr, String file, int line) {
        places.add(new Place(file, line));
        parsed.add(new Parsed(rr, places.size() - 1));
    }

    /** {@code at} is a record's place index, or -1 for line 1 of the main file (an empty zone). */
    private ZoneFileException error(int at, String problem) {
        Place place = at < 0 ? new Place(source, 1) : places.get(at);
        return new ZoneFileException(place.file(), place.line(), problem);
    }

    /** A place as the message of an error at {@code from} names it: "line N" in the same file. */
    private String ref(int at, int from) {
        Place p = places.get(at);
        return p.file().equals(places.get(from).file()) ? "line " + p.line() : p.toString();
    }

    /** Checks the records read and builds the zone. */
    Zone build() throws ZoneFileException {
        Name apex = apexGiven;
        if (apex == null) {
            for (Parsed p : parsed) {
                if (p.rr().rdata() instanceof Rdata.SOA) {
                    apex = p.rr().name();
                    break;
                }
            }
        }
        int firstLine = parsed.isEmpty() ? -1 : parsed.getFirst().line();
        if (apex == null) {
            throw error(firstLine, "no SOA record");
        }
        Map<Name, Map<Integer, List<ResourceRecord>>> nodes = new LinkedHashMap<>();
        Map<Name, Map<Integer, Integer>> lines = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        ResourceRecord soa = null;
        int soaLine = 0;
        for (Parsed p : parsed) {
            ResourceRecord rr = p.rr();
            Name owner = rr.name();
            int type = rr.type();
            // RFC 1034 §4.2.1: a zone holds the data at and below its apex, nothing else.
            if (!owner.isSubdomainOf(apex)) {
                throw error(p.line(), "'" + owner + "' is out of zone '" + apex + "'");
            }
            if (type == RRType.SOA) {
                if (!owner.equals(apex)) {
                    throw error(p.line(), "SOA record at '" + owner + "' is not at the zone apex '" + apex + "'");
                }
                if (soa != null && !soa.rdata().equals(rr.rdata())) {
                    // RFC 1035 §5.2: "Exactly one SOA RR should be present at the top of the zone."
                    throw error(p.line(), "second SOA record (the first is on " + ref(soaLine, p.line()) + ")");
                }
            }
            Map<Integer, List<ResourceRecord>> node = nodes.computeIfAbsent(owner, k -> new LinkedHashMap<>());
            Map<Integer, Integer> nodeLines = lines.computeIfAbsent(owner, k -> new LinkedHashMap<>());
            // RFC 1034 §3.6.2: "If a CNAME RR is present at a node, no other data should be present";
            // RFC 2181 §10.1 repeats it; RFC 4035 §2.5 lets RRSIG and NSEC sit beside it.
            for (Map.Entry<Integer, Integer> other : nodeLines.entrySet()) {
                int ot = other.getKey();
                boolean clash = (type == RRType.CNAME && ot != RRType.CNAME && ot != RRSIG && ot != NSEC)
                        || (ot == RRType.CNAME && type != RRType.CNAME && type != RRSIG && type != NSEC);
                if (clash) {
                    throw error(p.line(), "CNAME and other data at '" + owner + "' ("
                            + RRType.name(ot) + " on " + ref(other.getValue(), p.line()) + ")");
                }
            }
            List<ResourceRecord> set = node.computeIfAbsent(type, k -> new ArrayList<>());
            if (!set.isEmpty()) {
                ResourceRecord first = set.getFirst();
                if (set.stream().anyMatch(r -> r.rdata().equals(rr.rdata()))) {
                    warnings.add(places.get(p.line()) + ": duplicate " + RRType.name(type)
                            + " record at '" + owner + "' ignored");
                    continue;
                }
                if (type == RRType.CNAME) {
                    // RFC 1034 §3.6.2: an alias has exactly one canonical name.
                    throw error(p.line(), "more than one CNAME at '" + owner + "' (the first is on "
                            + ref(nodeLines.get(type), p.line()) + ")");
                }
                if (rr.ttl() != first.ttl()) {
                    // RFC 2181 §5.2: differing TTLs in an RRset are deprecated; BIND uses the first.
                    warnings.add(places.get(p.line()) + ": TTL " + rr.ttl() + " differs from the "
                            + RRType.name(type) + " RRset's TTL " + first.ttl() + " at '" + owner
                            + "'; using " + first.ttl());
                    set.add(new ResourceRecord(owner, rr.rrClass(), first.ttl(), rr.rdata()));
                    continue;
                }
            } else {
                nodeLines.put(type, p.line());
            }
            set.add(rr);
            if (type == RRType.SOA && soa == null) {
                soa = rr;
                soaLine = p.line();
            }
        }
        if (soa == null) {
            throw error(firstLine, "no SOA record at the zone apex '" + apex + "'");
        }
        // RFC 1034 §4.2.1: the apex holds the zone's NS RRset.
        if (!nodes.get(soa.name()).containsKey(RRType.NS)) {
            throw error(soaLine, "no NS records at the zone apex '" + apex + "'");
        }
        checkGlue(apex, nodes, lines);
        warnTooLarge(nodes, lines, warnings);
        return new Zone(apex, soa, nodes, warnings);
    }

    /**
     * RFC 1034 §4.2.1: a name server whose name is at or below the delegation that names it cannot
     * be found without glue, "the zone must include ... address RRs for the servers"; such a
     * delegation without an A or AAAA for that name is an error at the NS record (as named-checkzone
     * and kzonecheck refuse it). Name servers outside the delegated subtree need no glue.
     */
    private void checkGlue(Name apex, Map<Name, Map<Integer, List<ResourceRecord>>> nodes,
            Map<Name, Map<Integer, Integer>> lines) throws ZoneFileException {
        for (Map.Entry<Name, Map<Integer, List<ResourceRecord>>> node : nodes.entrySet()) {
            Name cut = node.getKey();
            List<ResourceRecord> ns = node.getValue().get(RRType.NS);
            if (ns == null || cut.equals(apex)) {
                continue;
            }
            for (ResourceRecord rr : ns) {
                Name server = ((Rdata.NS) rr.rdata()).nsdname();
                if (!server.isSubdomainOf(cut)) {
                    continue;
                }
                Map<Integer, List<ResourceRecord>> at = nodes.get(server);
                if (at == null || (!at.containsKey(RRType.A) && !at.containsKey(RRType.AAAA))) {
                    throw error(lines.get(cut).get(RRType.NS), "missing glue: the delegation '" + cut
                            + "' names the server '" + server + "' below it, which has no A or AAAA record");
                }
            }
        }
    }

    /**
     * Warns about every RRset that cannot fit in any DNS message, even alone in the answer
     * section of a response to a query for exactly it: over UDP the client gets TC=1 and retries
     * over TCP, where the server answers SERVFAIL (as Knot does; {@code QueryEngine}). Not an
     * error: the rest of the zone is served.
     */
    private void warnTooLarge(Map<Name, Map<Integer, List<ResourceRecord>>> nodes,
            Map<Name, Map<Integer, Integer>> lines, List<String> warnings) {
        MessageWriter writer = null;
        MemorySegment buffer = null;
        for (Map.Entry<Name, Map<Integer, List<ResourceRecord>>> node : nodes.entrySet()) {
            for (Map.Entry<Integer, List<ResourceRecord>> set : node.getValue().entrySet()) {
                if (!mayNotFit(set.getValue())) {
                    continue;
                }
                if (writer == null) {
                    writer = new MessageWriter();
                    buffer = MemorySegment.ofArray(new byte[MessageWriter.MAX_LIMIT]);
                }
                Name owner = node.getKey();
                int type = set.getKey();
                Message response = new Message(
                        new Header(0, true, Opcode.QUERY, true, false, false, false, false, false, 0),
                        List.of(new Question(owner, type, RRClass.IN)), set.getValue(), List.of(), List.of(), null);
                // RFC 1035 §4.2.2: the two-octet length prefix bounds any message to 65535 octets;
                // RFC 2181 §9: an RRset is never split, so one that overflows cannot be answered.
                if (writer.write(response, buffer, MessageWriter.MAX_LIMIT).truncated()) {
                    warnings.add(places.get(lines.get(owner).get(type)) + ": the " + RRType.name(type)
                            + " RRset at '" + owner + "' (" + set.getValue().size() + " records) does not fit in a"
                            + " DNS message (at most 65535 octets): queries for it get TC=1 over UDP and SERVFAIL"
                            + " over TCP");
                }
            }
        }
    }

    /**
     * Whether the RRset might exceed a message: a cheap upper bound on its uncompressed size (owner
     * and RDATA names counted at their longest, 255 octets) keeps the writer for the rare large set.
     */
    private static boolean mayNotFit(List<ResourceRecord> set) {
        long bound = 12 + 255 + 4; // RFC 1035 §4.1: header, and a question of the longest name
        for (ResourceRecord rr : set) {
            bound += 255 + 10 + rdataBound(rr.rdata());
            if (bound > MessageWriter.MAX_LIMIT) {
                return true;
            }
        }
        return false;
    }

    /** An upper bound on the RDATA's length on the wire (RFC 1035 §3.3, RFC 2782, RFC 3596). */
    private static int rdataBound(Rdata rdata) {
        return switch (rdata) {
            case Rdata.A _ -> 4;
            case Rdata.AAAA _ -> 16;
            case Rdata.NS _, Rdata.CNAME _, Rdata.PTR _ -> 255;
            case Rdata.MX _ -> 2 + 255;
            case Rdata.SRV _ -> 6 + 255;
            case Rdata.SOA _ -> 255 + 255 + 20;
            case Rdata.TXT t -> t.strings().stream().mapToInt(x -> 1 + x.length()).sum();
            case Rdata.Unknown u -> u.data().length;
        };
    }
}
