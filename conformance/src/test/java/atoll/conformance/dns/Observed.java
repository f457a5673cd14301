package atoll.conformance.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A reply reduced to the aspects the suite compares, each a string: the rcode, each header flag,
 * the question, the answer, authority and additional RRsets (records sorted, so order within a
 * section does not matter; TTLs included) and the OPT record. Names compare case-insensitively
 * (RFC 4343) except in the question, which must be echoed as asked.
 */
record Observed(Map<String, String> aspects) {

    /** The header flags compared, by name (RFC 1035 §4.1.1, RFC 4035 §3.1.6 for AD and CD). */
    static final Map<String, Integer> FLAGS = Map.of("AA", (int) Flags.AA, "TC", (int) Flags.TC, "RD", (int) Flags.RD,
            "RA", (int) Flags.RA, "AD", (int) Flags.AD, "CD", (int) Flags.CD);

    static Observed of(Message reply) {
        Map<String, String> a = new LinkedHashMap<>();
        if (reply == null) {
            a.put("reply", "none");
            return new Observed(a);
        }
        a.put("reply", "received");
        a.put("rcode", Rcode.string(reply.getRcode()));
        for (String flag : List.of("AA", "TC", "RD", "RA", "AD", "CD")) {
            a.put("flag." + flag, Boolean.toString(reply.getHeader().getFlag(FLAGS.get(flag))));
        }
        a.put("question", reply.getQuestion() == null ? "(none)" : reply.getQuestion().toString());
        a.put("answer", section(reply, Section.ANSWER));
        a.put("authority", section(reply, Section.AUTHORITY));
        a.put("additional", section(reply, Section.ADDITIONAL));
        OPTRecord opt = reply.getOPT();
        a.put("opt", opt == null ? "none"
                : "version=" + opt.getVersion() + " udp=" + opt.getPayloadSize()
                + " do=" + ((opt.getFlags() & ExtendedFlags.DO) != 0)
                + " options=" + opt.getOptions().stream().map(o -> Integer.toString(o.getCode())).toList());
        return new Observed(a);
    }

    private static String section(Message m, int section) {
        List<String> records = new ArrayList<>();
        for (Record r : m.getSection(section)) {
            if (r.getType() == Type.OPT) continue;
            // TXT strings are case-sensitive data; every other record here holds only names and numbers.
            records.add(r.getType() == Type.TXT
                    ? r.getName().toString().toLowerCase(Locale.ROOT) + " " + r.getTTL() + " TXT " + r.rdataToString()
                    : r.toString().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
        }
        records.sort(null);
        return records.toString();
    }

    /** The aspects on which this reply and the other differ, in a stable order. */
    List<String> differingAspects(Observed other) {
        List<String> differ = new ArrayList<>();
        for (String key : aspects.keySet()) {
            if (!Objects.equals(aspects.get(key), other.aspects.get(key))) differ.add(key);
        }
        for (String key : other.aspects.keySet()) {
            if (!aspects.containsKey(key)) differ.add(key);
        }
        return differ;
    }

    String get(String aspect) {
        return aspects.getOrDefault(aspect, "(absent)");
    }
}
