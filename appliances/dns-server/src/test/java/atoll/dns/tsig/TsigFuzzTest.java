package atoll.dns.tsig;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import atoll.dns.wire.Name;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;

/**
 * Jazzer target for the TSIG parser and verifier: any octets give one of the declared outcomes
 * (unsigned, valid, rejected, malformed) and never an exception; a multi-message verifier takes any
 * octets as a message of a stream without throwing.
 *
 * <p>Plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/atoll/dns/tsig/TsigFuzzTestInputs/verifyAnyOctets/} (messages signed by
 * kdig, {@link TsigTest}); {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class TsigFuzzTest {
    private static final TsigKey KEY = TsigKey.parse("hmac-sha256:xfr-key:" + TsigTest.SECRET);
    private static final Map<Name, TsigKey> RING = Map.of(KEY.name(), KEY);

    @FuzzTest
    void verifyAnyOctets(byte[] data) {
        assertNotNull(Tsig.verify(data, RING, 0x6b0b8278L));
        assertNotNull(Tsig.verify(data, RING, 0x6b0b8278L, new byte[32]));
        Tsig.StreamVerifier stream = new Tsig.StreamVerifier(KEY, new byte[32]);
        stream.verify(data, 0x6b0b8278L);
        stream.verify(data, 0x6b0b8278L);
    }
}
