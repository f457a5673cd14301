package atoll.conformance.dns;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The queries sent to every server: hand-picked cases plus a part generated with a fixed seed from
 * the zones themselves (the hand-picked ones over UDP and TCP, the rest over UDP) (every owner name, every empty non-terminal, missing names beside and below
 * them, every type present and a few absent ones), each with a seeded choice of EDNS, DO, RD, CD
 * and letter case.
 */
final class QueryCorpus {

    /** The seed of the generated part: a fixed one, so a failure names a query that reproduces. */
    static final long SEED = 0x5EED_D115L;

    /** Types asked at every name besides those the zones hold: absent ones, DS at cuts, ANY. */
    static final int[] EXTRA_TYPES = {Type.A, Type.AAAA, Type.NS, Type.SOA, Type.MX, Type.TXT, Type.SRV,
            Type.CNAME, Type.PTR, Type.CAA, Type.DS, Type.ANY};

    private QueryCorpus() {}

    static List<Probe> build(List<ServerProcess.ZoneFile> zones) throws IOException {
        Set<Name> names = new LinkedHashSet<>();
        Set<Integer> types = new TreeSet<>();
        for (int t : EXTRA_TYPES) types.add(t);
        for (ServerProcess.ZoneFile z : zones) {
            Name origin = Name.fromString(z.origin() + ".");
            try (Master master = new Master(z.file().toString(), origin)) {
                for (Record r; (r = master.nextRecord()) != null; ) {
                    types.add(r.getType());
                    // The owner and every name between it and the origin (empty non-terminals).
                    for (Name n = r.getName(); n.subdomain(origin); n = new Name(n, 1)) {
                        names.add(n);
                        if (n.equals(origin)) break;
                    }
                }
            }
        }
        Random random = new Random(SEED);
        List<Name> all = new ArrayList<>(names);
        for (Name n : all) {
            // A missing name below each existing one (below a wildcard owner it matches the wildcard;
            // below a delegation it is referred), and a missing sibling of each.
            names.add(Name.concatenate(Name.fromString(randomLabel(random)), n));
            if (n.labels() > 2) names.add(Name.concatenate(Name.fromString(randomLabel(random)), new Name(n, 1)));
        }
        names.add(Name.fromConstantString("example.net."));      // no zone of any server
        names.add(Name.fromConstantString("www.example.net."));

        List<Probe> corpus = new ArrayList<>(handPicked());
        // The hand-picked cases once more over TCP: same answers, no 512-octet limit (RFC 1035 §4.2.2).
        for (Probe p : handPicked()) corpus.add(p.overTcp());
        Probe.Edns[] edns = Probe.Edns.values();
        for (Name n : names) {
            for (int type : types) {
                corpus.add(new Probe(randomCase(n.toString(), random), type, edns[random.nextInt(edns.length)],
                        random.nextBoolean(), random.nextInt(4) == 0, false));
            }
            // The A query with every EDNS choice, as asked (lower case) and RD set as stub resolvers do.
            for (Probe.Edns e : edns) corpus.add(new Probe(n.toString(), Type.A, e, true, false, false));
        }
        return corpus;
    }

    /** Cases chosen by hand: the shapes most likely to differ between implementations. */
    static List<Probe> handPicked() {
        List<Probe> list = new ArrayList<>();
        for (Probe.Edns e : Probe.Edns.values()) {
            list.add(new Probe("alias3.example.org.", Type.A, e, true, false, false));          // CNAME chain of three
            list.add(new Probe("towild.example.org.", Type.A, e, true, false, false));          // CNAME into a wildcard
            list.add(new Probe("tomissing.example.org.", Type.A, e, true, false, false));       // CNAME to NXDOMAIN
            list.add(new Probe("outside.example.org.", Type.A, e, true, false, false));         // CNAME into another zone
            list.add(new Probe("loop1.example.org.", Type.A, e, true, false, false));           // CNAME loop
            list.add(new Probe("ftp.example.com.", Type.AAAA, e, true, false, false));          // embedded zone's CNAME
            list.add(new Probe("x.y.cwild.example.org.", Type.A, e, true, false, false));       // wildcard CNAME, two labels
            list.add(new Probe("host.ent.q.example.org.", Type.MX, e, true, false, false));     // wildcard below an ENT
            list.add(new Probe("q.example.org.", Type.MX, e, true, false, false));              // the ENT itself
            list.add(new Probe("explicit.wild.example.org.", Type.TXT, e, true, false, false)); // explicit name blocks the wildcard
            list.add(new Probe("a.b.c.d.sub.example.org.", Type.A, e, true, false, false));     // deep below a cut
            list.add(new Probe("sub.example.org.", Type.DS, e, true, false, false));            // DS at the cut: parent side
            list.add(new Probe("sub.example.org.", Type.NS, e, false, true, false));
            list.add(new Probe("ns.sub.example.org.", Type.A, e, true, false, false));          // glue is not authoritative data
            list.add(new Probe("deleg.example.org.", Type.A, e, true, false, false));           // referral without glue
            list.add(new Probe("EXAMPLE.ORG.", Type.MX, e, true, false, false));
            list.add(new Probe("_sip._tcp.example.org.", Type.SRV, e, true, false, false));
            list.add(new Probe("_sip._udp.example.com.", Type.SRV, e, true, false, false));
            list.add(new Probe("example.org.", Type.ANY, e, true, false, false));
            list.add(new Probe("www.example.org.", Type.ANY, e, true, false, false));
            // DNAME (RFC 6672): synthesis and what follows it.
            list.add(new Probe("host.dn.example.org.", Type.A, e, true, false, false));        // redirected to data
            list.add(new Probe("x.dn.example.org.", Type.A, e, true, false, false));           // redirected to nothing
            list.add(new Probe("alias.dn.example.org.", Type.A, e, true, false, false));       // then a CNAME
            list.add(new Probe("alias.dn.example.org.", Type.CNAME, e, true, false, false));   // CNAME asked: not followed
            list.add(new Probe("a.host.dnchain.example.org.", Type.A, e, true, false, false)); // DNAME to a DNAME
            list.add(new Probe("todname.example.org.", Type.A, e, true, false, false));        // CNAME into a DNAME
            list.add(new Probe("x.dnout.example.org.", Type.A, e, true, false, false));        // out of the zone
            list.add(new Probe("host.dn.example.org.", Type.ANY, e, true, false, false));
            list.add(new Probe("dn.example.org.", Type.DNAME, e, true, false, false));          // the owner: data
            list.add(new Probe("b.dnwild.example.org.", Type.DNAME, e, true, false, false));    // wildcard DNAME
            list.add(new Probe(TOO_LONG, Type.A, e, true, false, false));                      // YXDOMAIN
        }
        return list;
    }

    /** Below dnlong.example.org: the DNAME substitution would be longer than 255 octets (RFC 6672 §2.2). */
    static final String TOO_LONG = "d".repeat(63) + "." + "e".repeat(60) + ".dnlong.example.org.";

    static String randomLabel(Random random) {
        StringBuilder b = new StringBuilder("nx");
        for (int i = 0; i < 6; i++) b.append((char) ('a' + random.nextInt(26)));
        return b.toString();
    }

    /** Flips each letter to upper case with probability one half (RFC 4343: case must not matter). */
    static String randomCase(String name, Random random) {
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) b.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        return b.toString().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)) ? b.toString() : name;
    }
}
