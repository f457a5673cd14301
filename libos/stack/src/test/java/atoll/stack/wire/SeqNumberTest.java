package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqNumberTest {

    @Test
    void comparesAcrossTheWrap() {
        SeqNumber high = SeqNumber.of(0xffff_fff0L);
        SeqNumber low = high.plus(0x20); // wrapped to 0x10
        assertEquals(0x10, low.value());
        assertTrue(high.lessThan(low));
        assertTrue(low.greaterThan(high));
        assertFalse(low.lessThan(high));
        assertEquals(0x20, low.minus(high));
        assertEquals(-0x20, high.minus(low));
        assertTrue(high.lessOrEqual(high));
        assertTrue(high.greaterOrEqual(high));
        assertFalse(high.lessThan(high));
    }

    @Test
    void halfTheSpaceApartIsAmbiguousBothWays() {
        SeqNumber a = SeqNumber.of(5);
        SeqNumber b = a.plus(Integer.MIN_VALUE); // 2^31 ahead
        assertTrue(a.lessThan(b) && b.lessThan(a));
    }

    @Test
    void windowAcceptanceWrapsAndEmptyWindowHoldsNothing() {
        SeqNumber rcvNxt = SeqNumber.of(0xffff_ff00L);
        assertTrue(rcvNxt.inWindow(rcvNxt, 1));
        assertTrue(rcvNxt.plus(0x1ff).inWindow(rcvNxt, 0x200));
        assertFalse(rcvNxt.plus(0x200).inWindow(rcvNxt, 0x200));
        assertFalse(rcvNxt.plus(-1).inWindow(rcvNxt, 0x200));
        assertFalse(rcvNxt.inWindow(rcvNxt, 0));
        // An unsigned size above 2^31 still works as a size.
        assertTrue(SeqNumber.inWindow(0x9000_0000, 0, 0xa000_0000));
    }

    @Test
    void minMaxAndText() {
        assertEquals(3, SeqNumber.max(-5, 3));
        assertEquals(-5, SeqNumber.min(-5, 3)); // 0xfffffffb precedes 3 across the wrap
        assertEquals("4294967295", SeqNumber.of(0xffff_ffffL).toString());
        assertEquals(4294967295L, SeqNumber.of(-1).unsigned());
    }
}
