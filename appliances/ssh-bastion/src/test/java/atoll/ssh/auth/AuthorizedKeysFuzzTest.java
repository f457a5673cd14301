package atoll.ssh.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for {@link AuthorizedKeys#parse}: any file gives usable entries and one problem
 * line per skipped line, never an exception; every entry's key passes {@link PublicKeys#check}.
 */
class AuthorizedKeysFuzzTest {
    @FuzzTest
    void parse(byte[] data) throws Exception {
        AuthorizedKeys.Parsed p = AuthorizedKeys.parse(new String(data, StandardCharsets.UTF_8), "f");
        for (AuthorizedKeys.Entry e : p.entries()) {
            PublicKeys.check(e.blob());
            assertTrue(e.line() >= 1);
        }
        for (String problem : p.problems()) {
            assertTrue(problem.startsWith("f:") && problem.lines().count() == 1, problem);
        }
    }
}
