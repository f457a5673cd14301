package atoll.dns.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of valid messages for property tests: shared name suffixes in mixed case (to
 * exercise compression), odd label octets, every modelled RDATA type, EDNS with options, the
 * RFC 2136 empty-RDATA meta records, extreme TTLs and lengths.
 */
final class MessageGenerator {
    private static final String[] WORDS = {"example", "com", "org", "net", "www", "mail", "ns1", "ns2",
        "_sip", "_tcp", "a", "xn--bcher-kva", "Example", "COM", "*"};
    /** TYPE values the reader models, plus OPT: Unknown never uses these (they parse as typed). */
    private static final Set<Integer> MODELLED = Set.of(RRType.A, RRType.NS, RRType.CNAME, RRType.SOA,
            RRType.PTR, RRType.MX, RRType.TXT, RRType.AAAA, RRType.SRV, RRType.OPT);

    private final Random random;
    private final List<Name> names = new ArrayList<>();

    MessageGenerator(long seed) {
        this.random = new Random(seed);
    }

    Message next() {
        names.clear();
        Header header = new Header(random.nextInt(0x10000), random.nextBoolean(), random.nextInt(16),
                random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                random.nextBoolean(), random.nextBoolean(), random.nextInt(16));
        List<Question> questions = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            questions.add(new Question(name(), random.nextInt(0x10000), rrClass()));
        }
        return new Message(header, questions, records(), records(), records(),
                random.nextBoolean() ? edns() : null);
    }

    private List<ResourceRecord> records() {
        List<ResourceRecord> rrs = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            int rrClass = rrClass();
            Rdata rdata = rdata(rrClass);
            long ttl = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> 0xffffffffL;
                default -> random.nextLong(0x1_0000_0000L);
            };
            rrs.add(new ResourceRecord(name(), rrClass, ttl, rdata));
        }
        return rrs;
    }

    private int rrClass() {
        return switch (random.nextInt(8)) {
            case 0 -> RRClass.CH;
            case 1 -> RRClass.ANY;
            case 2 -> RRClass.NONE;
            case 3 -> random.nextInt(0x10000);
            default -> RRClass.IN;
        };
    }

    private Rdata rdata(int rrClass) {
        int kind = random.nextInt(11);
        if (kind == 10 || (kind == 9 && (rrClass == RRClass.ANY || rrClass == RRClass.NONE))) {
            // RFC 2136 meta record: empty RDATA under CLASS ANY/NONE, any TYPE.
            if (rrClass == RRClass.ANY || rrClass == RRClass.NONE) {
                int[] types = {RRType.A, RRType.SOA, RRType.TXT, RRType.ANY, 99};
                return new Rdata.Unknown(types[random.nextInt(types.length)], new byte[0]);
            }
        }
        return switch (kind) {
            case 0 -> new Rdata.A((Inet4Address) address(4));
            case 1 -> new Rdata.AAAA((Inet6Address) address(16));
            case 2 -> new Rdata.NS(name());
            case 3 -> new Rdata.CNAME(name());
            case 4 -> new Rdata.PTR(name());
            case 5 -> new Rdata.SOA(name(), name(), u32(), u32(), u32(), u32(), u32());
            case 6 -> new Rdata.MX(random.nextInt(0x10000), name());
            case 7 -> txt();
            case 8 -> new Rdata.SRV(random.nextInt(0x10000), random.nextInt(0x10000), random.nextInt(0x10000), name());
            default -> unknown(rrClass);
        };
    }

    private Rdata unknown(int rrClass) {
        int type;
        do {
            type = random.nextBoolean() ? random.nextInt(0x10000) : 13 + random.nextInt(100);
        } while (MODELLED.contains(type));
        byte[] data = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(40)];
        random.nextBytes(data);
        return new Rdata.Unknown(type, data);
    }

    private Rdata txt() {
        List<String> strings = new ArrayList<>();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            int length = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 255;
                default -> random.nextInt(256);
            };
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < length; j++) {
                sb.append((char) random.nextInt(256));
            }
            strings.add(sb.toString());
        }
        return new Rdata.TXT(strings);
    }

    private Edns edns() {
        List<EdnsOption> options = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            byte[] data = new byte[random.nextInt(20)];
            random.nextBytes(data);
            options.add(new EdnsOption(random.nextInt(0x10000), data));
        }
        return new Edns(random.nextInt(0x10000), random.nextInt(4) == 0 ? random.nextInt(256) : 0,
                random.nextInt(4) == 0 ? random.nextInt(256) : 0, random.nextBoolean(), options);
    }

    private long u32() {
        return random.nextBoolean() ? random.nextLong(0x1_0000_0000L) : 0xffffffffL;
    }

    private InetAddress address(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        if (length == 16 && random.nextInt(4) == 0) {
            // IPv4-mapped (RFC 4291 §2.5.5.2): must stay an AAAA record.
            for (int i = 0; i < 10; i++) {
                b[i] = 0;
            }
            b[10] = (byte) 0xff;
            b[11] = (byte) 0xff;
        }
        try {
            return length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Half the time a name seen before in this message (maybe in other case), else a new one. */
    Name name() {
        if (!names.isEmpty() && random.nextBoolean()) {
            Name seen = names.get(random.nextInt(names.size()));
            return switch (random.nextInt(3)) {
                case 0 -> seen;
                case 1 -> seen.isRoot() ? seen : seen.parent();
                default -> Name.parse(swapCase(seen.toString()));
            };
        }
        Name name;
        switch (random.nextInt(10)) {
            case 0 -> name = Name.ROOT;
            case 1 -> name = longName();
            default -> {
                List<byte[]> labels = new ArrayList<>();
                int wire = 1;
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    byte[] label = random.nextInt(6) == 0 ? randomLabel() : word();
                    if (wire + 1 + label.length <= Name.MAX_WIRE) {
                        labels.add(label);
                        wire += 1 + label.length;
                    }
                }
                name = Name.of(labels);
                if (!names.isEmpty() && random.nextBoolean()) {
                    Name base = names.get(random.nextInt(names.size()));
                    if (base.wireLength() + name.wireLength() - 1 <= Name.MAX_WIRE) {
                        name = name.concat(base);
                    }
                }
            }
        }
        names.add(name);
        return name;
    }

    private byte[] word() {
        return WORDS[random.nextInt(WORDS.length)].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private byte[] randomLabel() {
        byte[] b = new byte[1 + random.nextInt(Name.MAX_LABEL)];
        random.nextBytes(b);
        return b;
    }

    /** A name of exactly 255 octets: 3 labels of 63, one of 61 (1 + 3*64 + 62 = 255). */
    private Name longName() {
        List<byte[]> labels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] l = new byte[i == 3 ? 61 : 63];
            for (int j = 0; j < l.length; j++) {
                l[j] = (byte) ('a' + random.nextInt(26));
            }
            labels.add(l);
        }
        return Name.of(labels);
    }

    private String swapCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return sb.toString();
    }
}
