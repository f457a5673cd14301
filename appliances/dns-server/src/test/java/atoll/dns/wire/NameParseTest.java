package atoll.dns.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Fixes made to {@link Name#parse} while building the wire codec. */
class NameParseTest {

    @Test
    void decimalEscapeIsThreeAsciiDigits() {
        assertEquals(Name.parse("Abc."), Name.parse("\\065bc."));
        assertEquals("\\000.", Name.parse("\\000").toString());
        // Arabic-Indic digits are digits to Character.isDigit, not to RFC 1035 §5.1.
        assertThrows(IllegalArgumentException.class, () -> Name.parse("\\\u0661\u0662\u0663.example."));
    }

    @Test
    void escapedCharacterMustBeAnOctet() {
        // U+0161 would otherwise be written as its low octet 0x61, "a".
        assertThrows(IllegalArgumentException.class, () -> Name.parse("\\\u0161.example."));
        assertEquals(Name.parse("a.example."), Name.parse("\\a.example."));
    }
}
