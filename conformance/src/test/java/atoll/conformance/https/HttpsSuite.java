package atoll.conformance.https;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite against one https-static image on its defaults (development CA and certificate),
 * started once for the class and stopped in order (exit 0) after it. Suites run one class at a
 * time, so the one static server is the current class's.
 */
abstract class HttpsSuite {
    @TempDir static Path tmp;
    static ImageServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new ImageServer(tmp.resolve("run"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null;
            }
        }
    }
}
