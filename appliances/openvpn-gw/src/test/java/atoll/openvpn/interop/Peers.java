package atoll.openvpn.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real peers the interop tests drive, with the Debian package to install when one is missing. */
final class Peers {
    private Peers() {}

    static String require(String command, String debianPackage) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        return fail(command + " not found: install the Debian package '" + debianPackage + "' (.ci/run does)");
    }

    /** Runs a short command to completion (bounded), failing the test with its output if it fails. */
    static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + ": no exit in 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ":\n" + out);
    }

    /**
     * A throw-away CA and a client certificate signed by it, made with the openssl command; the
     * openvpn client needs them to start, though the gateway does not verify them yet.
     */
    static void clientCertificate(Path dir) throws IOException, InterruptedException {
        String openssl = require("openssl", "openssl");
        run(dir, openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=atoll test CA");
        run(dir, openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=client1");
        run(dir, openssl, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "client.pem", "-days", "2");
    }
}
