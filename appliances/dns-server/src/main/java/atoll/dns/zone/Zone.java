package atoll.dns.zone;

import atoll.dns.wire.Name;
import atoll.dns.wire.RRType;
import atoll.dns.wire.ResourceRecord;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One authoritative zone (RFC 1034 §4.2): the apex ({@link #origin()}), its SOA, and the RRsets
 * of every node at or below it, glue under zone cuts included. Immutable and safe to share between
 * threads; built by {@link ZoneFileParser}, which has already validated it (one SOA at the apex, NS
 * at the apex, nothing out of zone, no CNAME beside other data, one TTL per RRset).
 *
 * <p>Names compare without regard to ASCII case ({@link Name}), so lookups are case-insensitive while
 * the records returned keep the owner case written in the zone file (RFC 4343 §4.1).
 */
public final class Zone {
    private final Name origin;
    private final ResourceRecord soa;
    private final Map<Name, Map<Integer, List<ResourceRecord>>> nodes;
    private final Set<Name> existing;
    private final Set<Name> delegations;
    private final Set<Name> dnames;
    private final int recordCount;
    private final List<String> warnings;

    /**
     * @param nodes RRsets by owner then TYPE, in file order; taken over (the caller must not keep
     *     references to the inner maps)
     */
    Zone(Name origin, ResourceRecord soa, Map<Name, Map<Integer, List<ResourceRecord>>> nodes,
            List<String> warnings) {
        this.origin = origin;
        this.soa = soa;
        Map<Name, Map<Integer, List<ResourceRecord>>> copy = new LinkedHashMap<>();
        Set<Name> exist = new HashSet<>();
        Set<Name> cuts = new LinkedHashSet<>();
        Set<Name> redirections = new HashSet<>();
        int count = 0;
        for (Map.Entry<Name, Map<Integer, List<ResourceRecord>>> e : nodes.entrySet()) {
            Map<Integer, List<ResourceRecord>> sets = new LinkedHashMap<>();
            for (Map.Entry<Integer, List<ResourceRecord>> s : e.getValue().entrySet()) {
                sets.put(s.getKey(), List.copyOf(s.getValue()));
                count += s.getValue().size();
            }
            copy.put(e.getKey(), Collections.unmodifiableMap(sets));
            // RFC 4592 §2.2.2: an empty non-terminal exists; every ancestor up to the apex does.
            for (Name n = e.getKey(); exist.add(n) && n.labelCount() > origin.labelCount(); n = n.parent()) {
                // walking up
            }
            // RFC 1034 §4.2.1: NS below the apex marks a zone cut.
            if (sets.containsKey(RRType.NS) && !e.getKey().equals(origin)) {
                cuts.add(e.getKey());
            }
            if (sets.containsKey(RRType.DNAME)) {
                redirections.add(e.getKey());
            }
        }
        exist.add(origin);
        this.nodes = Collections.unmodifiableMap(copy);
        this.existing = Collections.unmodifiableSet(exist);
        this.delegations = Collections.unmodifiableSet(cuts);
        this.dnames = Collections.unmodifiableSet(redirections);
        this.recordCount = count;
        this.warnings = List.copyOf(warnings);
    }

    /** The zone apex. */
    public Name origin() {
        return origin;
    }

    /** The SOA record at the apex. */
    public ResourceRecord soa() {
        return soa;
    }

    /** The RRset of {@code type} at {@code name}, in file order; empty if there is none. */
    public List<ResourceRecord> rrset(Name name, int type) {
        Map<Integer, List<ResourceRecord>> node = nodes.get(name);
        if (node == null) {
            return List.of();
        }
        return node.getOrDefault(type, List.of());
    }

    /** All RRsets at {@code name} by TYPE, in file order; empty if the name owns no records. */
    public Map<Integer, List<ResourceRecord>> node(Name name) {
        return nodes.getOrDefault(name, Map.of());
    }

    /** Owner names that have records (empty non-terminals are not listed), in file order. */
    public Set<Name> names() {
        return nodes.keySet();
    }

    /** Number of records after duplicate suppression. */
    public int recordCount() {
        return recordCount;
    }

    /**
     * True if the node exists: it owns records, or it is an empty non-terminal (no records but
     * descendants that have some, RFC 4592 §2.2.2), or it is the apex.
     */
    public boolean contains(Name name) {
        return existing.contains(name);
    }

    /** Names below the apex that own an NS RRset: the zone cuts (delegation points). */
    public Set<Name> delegations() {
        return delegations;
    }

    /**
     * The zone cut met first when descending from the apex towards {@code name} (RFC 1034 §4.3.2
     * step 3b), {@code name} itself included; {@code null} if there is none or {@code name} is not in
     * this zone.
     */
    public Name zoneCut(Name name) {
        if (delegations.isEmpty() || !name.isSubdomainOf(origin)) {
            return null;
        }
        for (int n = origin.labelCount() + 1; n <= name.labelCount(); n++) {
            Name candidate = name.suffix(n);
            if (delegations.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The DNAME owner met first when descending from the apex towards {@code name}, the apex
     * included and {@code name} itself excluded (RFC 6672 §3.2: a DNAME redirects the names below
     * its owner, never the owner); {@code null} if there is none or {@code name} is not in this
     * zone.
     */
    public Name dnameAbove(Name name) {
        if (dnames.isEmpty() || !name.isSubdomainOf(origin)) {
            return null;
        }
        for (int n = origin.labelCount(); n < name.labelCount(); n++) {
            Name candidate = name.suffix(n);
            if (dnames.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Things the parser normalized rather than refused, each {@code source:line: text} (e.g. an
     * RRset whose TTLs differed, a duplicate record dropped).
     */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "Zone[" + origin + ", " + recordCount + " records]";
    }
}
