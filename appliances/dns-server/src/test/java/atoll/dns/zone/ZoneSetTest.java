package atoll.dns.zone;

import static atoll.dns.zone.ZoneTestSupport.load;
import static atoll.dns.zone.ZoneTestSupport.n;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.dns.wire.RRClass;
import atoll.dns.wire.RRType;
import atoll.dns.wire.Rcode;
import atoll.dns.wire.Rdata;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZoneSetTest {
    static Zone parent;
    static Zone child;
    static ZoneSet zones;

    @BeforeAll
    static void load() throws ZoneFileException {
        parent = ZoneTestSupport.load("example.com.zone", "example.com.");
        child = ZoneTestSupport.load("sub.example.com.zone", "sub.example.com.");
        zones = ZoneSet.of(parent, child);
    }

    @Test
    void longestOriginWins() {
        assertSame(child, zones.find(n("www.sub.example.com.")));
        assertSame(child, zones.find(n("SUB.example.com.")));
        assertSame(parent, zones.find(n("www.example.com.")));
        assertSame(parent, zones.find(n("example.com.")));
        assertNull(zones.find(n("com.")));
        assertNull(zones.find(n("www.example.org.")));
    }

    @Test
    void theChildAnswersAuthoritativelyWhereTheParentWouldRefer() {
        LookupResult r = zones.answer(n("www.sub.example.com."), RRType.A, RRClass.IN);
        assertEquals(Rcode.NOERROR, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(1, r.answer().size());
        assertEquals("192.0.2.55", ((Rdata.A) r.answer().getFirst().rdata()).address().getHostAddress());
        // The parent alone would refer.
        assertFalse(Lookup.lookup(parent, n("www.sub.example.com."), RRType.A).authoritative());
    }

    @Test
    void outsideEveryZoneIsRefused() {
        LookupResult r = zones.answer(n("www.example.org."), RRType.A, RRClass.IN);
        assertEquals(new LookupResult(Rcode.REFUSED, false, List.of(), List.of(), List.of()), r);
    }

    @Test
    void onlyClassInOrAny() {
        assertEquals(Rcode.REFUSED, zones.answer(n("www.example.com."), RRType.TXT, RRClass.CH).rcode());
        assertEquals(Rcode.NOERROR, zones.answer(n("www.example.com."), RRType.A, RRClass.ANY).rcode());
        assertEquals(1, zones.answer(n("www.example.com."), RRType.A, RRClass.ANY).answer().size());
    }

    @Test
    void nxdomainInTheChild() {
        LookupResult r = zones.answer(n("nope.sub.example.com."), RRType.A, RRClass.IN);
        assertEquals(Rcode.NXDOMAIN, r.rcode());
        // RFC 2308 §3: min(600, 60).
        assertEquals(60, r.authority().getFirst().ttl());
        assertEquals(n("sub.example.com."), r.authority().getFirst().name());
    }

    @Test
    void duplicateOriginsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ZoneSet.of(parent, parent));
    }
}
