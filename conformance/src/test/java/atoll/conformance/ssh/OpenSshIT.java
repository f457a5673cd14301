package atoll.conformance.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atoll.conformance.Feature;
import atoll.conformance.Image;
import atoll.conformance.ImageProcess;
import atoll.conformance.Peer;
import atoll.conformance.Ports;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built image as a jump host between the real OpenSSH client (Debian openssh-client) and a
 * real sshd (openssh-server) that this test starts on a loopback port with its own host key,
 * authorized_keys and known_hosts, all in a temporary directory.
 */
@Tag("ssh-bastion")
@Tag("socket")
@Feature("audit")
class OpenSshIT {
    static final Image IMAGE = Image.of("ssh-bastion");
    /** Modest for CI; large enough to cross several re-keys at REKEY_BYTES. */
    static final int TRANSFER_BYTES = 20 * 1024 * 1024;
    static final String REKEY_BYTES = "4M";
    static final String SSHD = "/usr/sbin/sshd";
    /** Short, for the stalled-client test; ample for a loopback login. */
    static final String LOGIN_TIMEOUT = "8s";

    @TempDir static Path tmp;
    static ImageProcess sshd;
    static ImageProcess bastion;
    /** A second bastion with the NIST algorithms that are off by default switched on. */
    static ImageProcess nistBastion;
    static int nistPort;
    static int sshdPort;
    static int bastionPort;
    static int closedPort;
    static final String USER = System.getProperty("user.name");

    @BeforeAll
    static void start() throws Exception {
        IMAGE.requireBuilt();
        if (!Files.isExecutable(Path.of(SSHD))) {
            fail("sshd is not installed: apt-get install openssh-server");
        }
        keygen("ed25519", "alice");
        keygen("ecdsa", "alice-ecdsa");
        keygen("rsa", "alice-rsa");
        keygen("ed25519", "mallory");
        keygen("ed25519", "sshd-host");
        keygen("ed25519", "user-ca");
        keygen("ecdsa", "org-ca");
        keygen("ed25519", "cert-user");
        keygen("rsa", "cert-user-rsa");
        sshdPort = Ports.freeTcp();
        bastionPort = Ports.freeTcp();
        closedPort = Ports.freeTcp();
        nistPort = Ports.freeTcp();
        // The destination: a real sshd of our own on loopback, the current user allowed with alice's key.
        Files.writeString(tmp.resolve("target_authorized_keys"), Files.readString(tmp.resolve("alice.pub")));
        Files.writeString(tmp.resolve("sshd_config"), String.join("\n",
                "Port " + sshdPort, "ListenAddress 127.0.0.1", "HostKey " + tmp.resolve("sshd-host"),
                "AuthorizedKeysFile " + tmp.resolve("target_authorized_keys"), "PidFile " + tmp.resolve("sshd.pid"),
                "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "Subsystem sftp internal-sftp", ""));
        Files.createDirectories(Path.of("/run/sshd"));
        // -D: stay in the foreground as our child, so the test stops it.
        sshd = ImageProcess.of("sshd", new ProcessBuilder(SSHD, "-D", "-e", "-f", tmp.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd.log").toFile()).start(), tmp.resolve("sshd.log"));
        // The bastion's users: alice with three key types (one limited by options); mallory unknown.
        Path users = Files.createDirectories(tmp.resolve("users"));
        Files.writeString(users.resolve("alice"), Files.readString(tmp.resolve("alice.pub"))
                + "from=\"127.0.0.0/8,::1\" " + Files.readString(tmp.resolve("alice-ecdsa.pub"))
                + "restrict,port-forwarding,permitopen=\"127.0.0.1:" + sshdPort + "\" " + Files.readString(tmp.resolve("alice-rsa.pub"))
                // Certificates by user-ca naming alice or the role "jumpers" log in as alice.
                + "cert-authority,principals=\"alice,jumpers\" " + Files.readString(tmp.resolve("user-ca.pub")));
        // dave has no key of his own: certificates of org-ca (trusted-user-ca-keys) naming him.
        Files.writeString(users.resolve("dave"), "");
        Files.writeString(tmp.resolve("trusted_user_ca_keys"), Files.readString(tmp.resolve("org-ca.pub")));
        bastion = IMAGE.start(tmp.resolve("bastion.log"), "--listen=127.0.0.1", "--port=" + bastionPort,
                "--users.dir=" + users, "--state.dir=" + tmp.resolve("state"),
                "--destinations=alice=127.0.0.1:" + sshdPort + ",alice=localhost:" + sshdPort + ",dave=127.0.0.1:" + sshdPort,
                "--trusted-user-ca-keys=" + tmp.resolve("trusted_user_ca_keys"),
                "--rekey.bytes=" + REKEY_BYTES, "--login.timeout=" + LOGIN_TIMEOUT);
        nistBastion = IMAGE.start(tmp.resolve("nist.log"), "--listen=127.0.0.1", "--port=" + nistPort,
                "--users.dir=" + users, "--state.dir=" + tmp.resolve("state-nist"),
                "--destinations=alice=127.0.0.1:" + sshdPort,
                "--kex=ecdh-sha2-nistp256,curve25519-sha256", "--host-keys=ecdsa-sha2-nistp256,ssh-ed25519");
        awaitPort(bastionPort, bastion);
        awaitPort(nistPort, nistBastion);
        awaitPort(sshdPort, sshd);
        Files.writeString(tmp.resolve("ssh_config"), String.join("\n",
                "Host bastion", "  HostName 127.0.0.1", "  Port " + bastionPort, "  User alice",
                "Host target", "  HostName 127.0.0.1", "  Port " + sshdPort, "  User " + USER,
                "Host *", "  IdentityFile " + tmp.resolve("alice"), "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + tmp.resolve("known_hosts"), "  StrictHostKeyChecking yes",
                "  BatchMode yes", "  ConnectTimeout 20", ""));
        // known_hosts: the bastion's key from its log (generated on first start), the target's from its file.
        StringBuilder known = new StringBuilder();
        for (String[] logAndPort : new String[][] {{"bastion.log", "" + bastionPort}, {"nist.log", "" + nistPort}}) {
            List<String> hostKeyLines = log(logAndPort[0]).lines().filter(l -> l.contains("generated host key")).toList();
            assertEquals(2, hostKeyLines.size(), log(logAndPort[0]));
            for (String line : hostKeyLines) {
                // "... generated host key SHA256:<fingerprint> <type> <base64>"
                String[] words = line.substring(line.indexOf("generated host key ") + 19).split(" ");
                known.append("[127.0.0.1]:").append(logAndPort[1]).append(' ').append(words[1]).append(' ')
                        .append(words[2]).append('\n');
            }
        }
        known.append("[127.0.0.1]:").append(sshdPort).append(' ').append(Files.readString(tmp.resolve("sshd-host.pub")));
        Files.writeString(tmp.resolve("known_hosts"), known.toString());
    }

    static void keygen(String type, String name) throws Exception {
        Result r = run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", tmp.resolve(name).toString());
        assertEquals(0, r.status, r.output);
    }

    static void awaitPort(int port, ImageProcess p) throws Exception {
        p.await("a listener on port " + port, () -> {
            new Socket(Ports.LOOPBACK, port).close(); // it accepts connections
            return true;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (ImageProcess b : new ImageProcess[] {nistBastion, bastion}) {
                if (b != null) {
                    b.stop();
                }
            }
        } finally {
            for (ImageProcess p : new ImageProcess[] {nistBastion, bastion, sshd}) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    static String log() {
        return log("bastion.log");
    }

    static String log(String name) {
        try {
            return Files.readString(tmp.resolve(name));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * The audit lines (JSON) the bastion wrote since {@code from} characters of its log, once one
     * of them matches {@code wanted}; fails with the log if none does within a bounded wait.
     */
    static List<String> auditSince(int from, java.util.function.Predicate<String> wanted) throws Exception {
        return auditSince("bastion.log", from, wanted);
    }

    static List<String> auditSince(String logName, int from, java.util.function.Predicate<String> wanted) throws Exception {
        // The audit line is written when the bastion notices the end; give it a bounded moment.
        for (int attempt = 0; attempt < 100; attempt++) {
            String l = log(logName);
            List<String> lines = l.substring(Math.min(from, l.length())).lines()
                    .filter(x -> x.contains("ssh-bastion.audit:")).toList();
            if (lines.stream().anyMatch(wanted)) {
                return lines;
            }
            Thread.sleep(100);
        }
        fail("no matching audit line after offset " + from + ":\n" + log(logName));
        return null;
    }

    record Result(int status, String output) {}

    /** Runs an OpenSSH client tool (Debian openssh-client), bounded; returns its status and output. */
    static Result run(String... cmd) throws Exception {
        Peer.Result r = Peer.run(cmd[0], "openssh-client", List.of(cmd).subList(1, cmd.length));
        return new Result(r.status(), r.out());
    }

    static List<String> ssh(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-F", tmp.resolve("ssh_config").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** ssh to the bastion with only {@code key} (no config file, so no other identity is tried). */
    static List<String> sshWithKey(String key, String user, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-i", tmp.resolve(key).toString(),
                "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=" + tmp.resolve("known_hosts"),
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-p", Integer.toString(bastionPort),
                "-l", user));
        cmd.addAll(List.of(args));
        cmd.add("127.0.0.1");
        return cmd;
    }

    static Result ssh(List<String> cmd) throws Exception {
        return run(cmd.toArray(String[]::new));
    }

    @Test
    @Feature({"direct-tcpip", "kex-sntrup761"})
    void jumpToTargetRunsCommand() throws Exception {
        int mark = log().length();
        Result r = ssh(ssh("-J", "bastion", "target", "echo", "through-the-jump"));
        assertEquals(0, r.status, r.output);
        assertTrue(r.output.contains("through-the-jump"), r.output);
        List<String> audit = auditSince(mark, l -> l.contains("\"event\":\"channel\"") && l.contains("\"user\":\"alice\"")
                && l.contains("\"destination\":\"127.0.0.1:" + sshdPort + "\""));
        // Strict kex, the first kex method OpenSSH 9.2 prefers that we offer: sntrup761.
        assertTrue(auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains("\"user\":\"alice\""))
                .stream().anyMatch(l -> l.contains("\"kex\":\"sntrup761x25519-sha512")), log());
    }

    @Test
    @Feature({"direct-tcpip"})
    void stdioForwardWithDashW() throws Exception {
        Result r = ssh(ssh("-W", "127.0.0.1:" + sshdPort, "bastion"));
        // -W copies the destination's bytes: sshd's identification line, then EOF from /dev/null ends it.
        assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), r.output);
    }

    static List<String[]> kexAndCiphers() {
        List<String[]> cases = new ArrayList<>();
        for (String kex : List.of("sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "curve25519-sha256@libssh.org")) {
            for (String cipher : List.of("chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com")) {
                cases.add(new String[] {kex, cipher, ""});
            }
            cases.add(new String[] {kex, "aes128-ctr", "hmac-sha2-256-etm@openssh.com"});
            cases.add(new String[] {kex, "aes256-ctr", "hmac-sha2-512-etm@openssh.com"});
        }
        cases.add(new String[] {"curve25519-sha256", "aes128-ctr", "hmac-sha2-512-etm@openssh.com"});
        cases.add(new String[] {"curve25519-sha256", "aes256-ctr", "hmac-sha2-256-etm@openssh.com"});
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("kexAndCiphers")
    @Feature({"kex-curve25519", "kex-sntrup761", "ciphers", "ciphers-ctr-etm"})
    void eachKexAndCipherForcedOneAtATime(String kex, String cipher, String mac) throws Exception {
        int mark = log().length();
        List<String> cmd = ssh("-o", "KexAlgorithms=" + kex, "-o", "Ciphers=" + cipher, "-o", "HostKeyAlgorithms=ssh-ed25519");
        if (!mac.isEmpty()) {
            cmd.addAll(List.of("-o", "MACs=" + mac));
        }
        cmd.addAll(List.of("-W", "127.0.0.1:" + sshdPort, "bastion"));
        Result r = ssh(cmd);
        assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), r.output);
        String protection = mac.isEmpty() ? cipher : cipher + "+" + mac;
        auditSince(mark, l -> l.contains("\"kex\":\"" + kex + " ssh-ed25519 " + protection + "/" + protection));
    }

    static List<String[]> nistCases() {
        return List.of(
                new String[] {"ecdh-sha2-nistp256", "ecdsa-sha2-nistp256", "chacha20-poly1305@openssh.com", ""},
                new String[] {"ecdh-sha2-nistp256", "ecdsa-sha2-nistp256", "aes256-gcm@openssh.com", ""},
                new String[] {"ecdh-sha2-nistp256", "ssh-ed25519", "aes128-ctr", "hmac-sha2-256-etm@openssh.com"},
                new String[] {"curve25519-sha256", "ecdsa-sha2-nistp256", "aes256-ctr", "hmac-sha2-512-etm@openssh.com"});
    }

    /** The NIST options, off by default, on the second bastion that enables them; a 1 MiB round trip through -W each. */
    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("nistCases")
    @Feature({"nist-kex", "nist-host-key", "ciphers-ctr-etm"})
    void nistKexAndHostKeyWhenEnabled(String kex, String hostKey, String cipher, String mac) throws Exception {
        int mark = log("nist.log").length();
        List<String> cmd = ssh("-p", Integer.toString(nistPort), "-o", "KexAlgorithms=" + kex, "-o", "Ciphers=" + cipher,
                "-o", "HostKeyAlgorithms=" + hostKey);
        if (!mac.isEmpty()) {
            cmd.addAll(List.of("-o", "MACs=" + mac));
        }
        cmd.addAll(List.of("-W", "127.0.0.1:" + sshdPort, "bastion"));
        Result r = ssh(cmd);
        assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), r.output + log("nist.log"));
        String protection = mac.isEmpty() ? cipher : cipher + "+" + mac;
        auditSince("nist.log", mark, l -> l.contains("\"kex\":\"" + kex + " " + hostKey + " " + protection + "/" + protection));
    }

    @Test
    @Feature({"nist-kex", "nist-host-key"})
    void nistAlgorithmsAreOffByDefault() throws Exception {
        Result r = ssh(ssh("-o", "KexAlgorithms=ecdh-sha2-nistp256", "-W", "127.0.0.1:" + sshdPort, "bastion"));
        assertEquals(255, r.status, r.output);
        assertTrue(r.output.contains("no matching key exchange method"), r.output);
        r = ssh(ssh("-o", "HostKeyAlgorithms=ecdsa-sha2-nistp256", "-W", "127.0.0.1:" + sshdPort, "bastion"));
        assertEquals(255, r.status, r.output);
        assertTrue(r.output.contains("no matching host key type"), r.output);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"})
    @Feature({"host-keys"})
    void eachHostKeyAlgorithmForcedOneAtATime(String hostKeyAlgorithm) throws Exception {
        int mark = log().length();
        Result r = ssh(ssh("-o", "HostKeyAlgorithms=" + hostKeyAlgorithm, "-W", "127.0.0.1:" + sshdPort, "bastion"));
        assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), r.output);
        auditSince(mark, l -> l.contains(" " + hostKeyAlgorithm + " ") && l.contains("\"event\":\"connection\""));
    }

    @Test
    @Feature({"userauth", "authorized-keys"})
    void ecdsaAndRsaKeysWithOptions() throws Exception {
        for (String key : List.of("alice-ecdsa", "alice-rsa")) {
            int mark = log().length();
            Result r = ssh(sshWithKey(key, "alice", "-W", "127.0.0.1:" + sshdPort));
            assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), key + ": " + r.output);
            String fingerprint = run("ssh-keygen", "-l", "-f", tmp.resolve(key + ".pub").toString()).output.split(" ")[1];
            auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains("\"key\":\"" + fingerprint + "\""));
        }
        // The rsa key is limited by permitopen to the IP form of the target: the name is refused.
        int mark = log().length();
        Result r = ssh(sshWithKey("alice-rsa", "alice", "-W", "localhost:" + sshdPort));
        assertNotEquals(0, r.status, r.output);
        assertTrue(r.output.contains("administratively prohibited"), r.output);
        auditSince(mark, l -> l.contains("\"closed\":\"refused: destination not in this key's permitopen\""));
    }

    @Test
    @Feature({"direct-tcpip"})
    void forbiddenDestinationIsRefusedAndAudited() throws Exception {
        int mark = log().length();
        Result r = ssh(ssh("-W", "127.0.0.1:" + closedPort, "bastion"));
        assertNotEquals(0, r.status, r.output);
        assertTrue(r.output.contains("open failed: administratively prohibited: destination not allowed for this user"), r.output);
        assertTrue(!r.output.contains("prohibited: administratively"), "reason said twice: " + r.output);
        auditSince(mark, l -> l.contains("\"destination\":\"127.0.0.1:" + closedPort + "\"")
                && l.contains("\"user\":\"alice\"") && l.contains("\"closed\":\"refused: destination not allowed for this user\""));
    }

    @Test
    @Feature({"userauth"})
    void unknownKeyIsDeniedAndAudited() throws Exception {
        int mark = log().length();
        Result r = ssh(sshWithKey("mallory", "mallory", "-W", "127.0.0.1:" + sshdPort));
        assertEquals(255, r.status, r.output);
        assertTrue(r.output.contains("Permission denied (publickey)"), r.output);
        auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains("\"user\":null")
                && l.contains("\"auth_failure\":\"unknown user\""));
        // alice's name with mallory's key: the key is checked against alice's file.
        mark = log().length();
        r = ssh(sshWithKey("mallory", "alice", "-W", "127.0.0.1:" + sshdPort));
        assertTrue(r.output.contains("Permission denied (publickey)"), r.output);
        auditSince(mark, l -> l.contains("\"auth_failure\":\"key not in the user's authorized_keys\""));
    }

    @Test
    @Feature({"session-refused"})
    void shellIsRefusedWithTheBanner() throws Exception {
        Result r = ssh(ssh("bastion", "true"));
        assertNotEquals(0, r.status, r.output);
        assertTrue(r.output.contains("this is a jump host"), r.output);
    }

    @Test
    @Feature({"rekey", "flow-control"})
    void transferThroughTheJumpWithRekeysLosesNothing() throws Exception {
        Path source = tmp.resolve("payload.bin");
        byte[] data = new byte[TRANSFER_BYTES];
        new Random(20261128).nextBytes(data);
        Files.write(source, data);
        String expected = sha256(data);
        Path copy = tmp.resolve("payload.copy");
        int mark = log().length();
        Result r = run("scp", "-F", tmp.resolve("ssh_config").toString(), "-J", "bastion", source.toString(),
                "target:" + copy);
        assertEquals(0, r.status, r.output);
        assertEquals(expected, sha256(Files.readAllBytes(copy)));
        String connection = auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains("\"channels\":1")
                && l.contains("\"user\":\"alice\"")).stream()
                .filter(l -> l.contains("\"event\":\"connection\"") && l.contains("\"channels\":1")).findFirst().orElseThrow();
        // Several key exchanges in the one connection: the re-keys at rekey.bytes mid-transfer.
        long kexCount = connection.chars().filter(c -> c == ';').count() + 1;
        assertTrue(kexCount >= 4, "want re-keys every " + REKEY_BYTES + ": " + connection);

        Path back = tmp.resolve("payload.back");
        Path batch = tmp.resolve("sftp.batch");
        Files.writeString(batch, "get " + copy + " " + back + "\n");
        r = run("sftp", "-F", tmp.resolve("ssh_config").toString(), "-J", "bastion", "-b", batch.toString(), "target");
        assertEquals(0, r.status, r.output);
        assertEquals(expected, sha256(Files.readAllBytes(back)));
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    @Feature({"host-keys"})
    void hostKeyPersistsInTheStateStore() throws Exception {
        Path stored = tmp.resolve("state").resolve("ssh_host_ed25519_key");
        assertTrue(Files.exists(stored), "no host key in the state store");
        // The key the client pinned from the first start is the one it meets: every test above
        // runs with StrictHostKeyChecking=yes against it.
        Result r = run("ssh-keyscan", "-p", Integer.toString(bastionPort), "-t", "ed25519", "127.0.0.1");
        assertTrue(Files.readString(tmp.resolve("known_hosts")).contains(r.output.lines()
                .filter(l -> l.contains("ssh-ed25519")).findFirst().orElseThrow(() -> new AssertionError(r.output))
                .split(" ", 2)[1].strip()), r.output);
    }

    @Test
    @Feature({"identification", "timeouts"})
    void stalledClientIsDroppedAtTheLoginTimeout() throws Exception {
        int mark = log().length();
        try (Socket s = new Socket(Ports.LOOPBACK, bastionPort)) {
            s.setSoTimeout(60_000);
            // Say nothing at all: read the server's identification and KEXINIT, then wait for the end.
            byte[] all = s.getInputStream().readAllBytes();
            assertTrue(new String(all, StandardCharsets.ISO_8859_1).startsWith("SSH-2.0-Atoll_"));
        }
        auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains("login timeout"));
    }

    @Test
    @Feature({"binary-packets", "disconnect"})
    void oversizedPacketGetsProtocolErrorDisconnect() throws Exception {
        int mark = log().length();
        try (Socket s = new Socket(Ports.LOOPBACK, bastionPort)) {
            s.setSoTimeout(60_000);
            // packet_length 2^31: far past the 256 KiB the server takes (RFC 4253 §6.1).
            s.getOutputStream().write("SSH-2.0-probe\r\n\u0080\u0000\u0000\u0010".getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = s.getInputStream().readAllBytes();
            // Before keys the DISCONNECT is a plain packet: ... byte 1, uint32 reason 2 (PROTOCOL_ERROR).
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int at = text.indexOf("\u0001\u0000\u0000\u0000\u0002");
            assertTrue(at > 0, "no SSH_MSG_DISCONNECT with PROTOCOL_ERROR in " + all.length + " octets");
            assertTrue(text.contains("bad packet length"), text);
        }
        auditSince(mark, l -> l.contains("\"closed\":\"PROTOCOL_ERROR: bad packet length"));
    }

    /**
     * Debian's ssh-audit 2.5 against the default algorithms: no failure; its only warnings are
     * for names it does not know (ML-KEM, the plain sntrup761 name, strict kex) and the
     * "experimental" sntrup761 (CONFORMANCE.md lists them).
     */
    @Test
    @Feature({"ssh-audit"})
    void sshAuditReportsNoFailure() throws Exception {
        Result r;
        try {
            r = run("ssh-audit", "-n", "-p", Integer.toString(bastionPort), "127.0.0.1");
        } catch (AssertionError missing) {
            throw new AssertionError("ssh-audit is not installed: apt-get install ssh-audit", missing);
        }
        assertTrue(r.output.contains("(kex) curve25519-sha256"), r.output);
        for (String offered : List.of("(enc) aes128-ctr", "(enc) aes256-ctr", "(mac) hmac-sha2-256-etm@openssh.com",
                "(mac) hmac-sha2-512-etm@openssh.com")) {
            assertTrue(r.output.contains(offered), "ssh-audit did not see " + offered + ":\n" + r.output);
        }
        assertTrue(!r.output.contains("[fail]"), r.output);
        List<String> allowedWarnings = List.of("(kex) mlkem768x25519-sha256 ", "(kex) sntrup761x25519-sha512 ",
                "(kex) sntrup761x25519-sha512@openssh.com ", "(kex) kex-strict-s-v00@openssh.com ");
        for (String line : r.output.lines().filter(l -> l.contains("[warn]")).toList()) {
            assertTrue(allowedWarnings.stream().anyMatch(line::startsWith), "unexpected warning: " + line + "\n" + r.output);
        }
    }

    private static int certificates;

    /** A certificate for cert-user's key by {@code ca}, with extra ssh-keygen options; returns its file. */
    static Path certificate(String ca, String... options) throws Exception {
        return certificateFor("cert-user", ca, options);
    }

    static Path certificateFor(String key, String ca, String... options) throws Exception {
        Path pub = tmp.resolve(key + "-" + (++certificates) + ".pub");
        Files.copy(tmp.resolve(key + ".pub"), pub);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", tmp.resolve(ca).toString(), "-I",
                "cert-" + certificates, "-z", Integer.toString(1000 + certificates)));
        cmd.addAll(List.of(options));
        cmd.add(pub.toString());
        Result r = run(cmd.toArray(String[]::new));
        assertEquals(0, r.status, r.output);
        return tmp.resolve(key + "-" + certificates + "-cert.pub");
    }

    /** ssh -W to the target through the bastion as {@code user} with cert-user's key and {@code cert}. */
    static Result withCertificate(String user, Path cert, String destination) throws Exception {
        return withCertificate("cert-user", user, cert, destination);
    }

    static Result withCertificate(String key, String user, Path cert, String destination) throws Exception {
        return ssh(sshWithKey(key, user, "-o", "CertificateFile=" + cert, "-W", destination));
    }

    @Test
    @Feature({"certificates", "userauth"})
    void certificateFromACertAuthorityLineJumps() throws Exception {
        Path cert = certificate("user-ca", "-n", "jumpers", "-V", "-5m:+1h");
        int mark = log().length();
        Result r = withCertificate("alice", cert, "127.0.0.1:" + sshdPort);
        assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), r.output + log());
        String keyFingerprint = run("ssh-keygen", "-l", "-f", tmp.resolve("cert-user.pub").toString()).output.split(" ")[1];
        String caFingerprint = run("ssh-keygen", "-l", "-f", tmp.resolve("user-ca.pub").toString()).output.split(" ")[1];
        String certificate = "\"certificate\":\"ID \\\"cert-" + certificates + "\\\" serial " + (1000 + certificates) + " CA "
                + caFingerprint + "\"";
        auditSince(mark, l -> l.contains("\"event\":\"channel\"") && l.contains("\"user\":\"alice\"")
                && l.contains("\"key\":\"" + keyFingerprint + "\"") && l.contains(certificate));
        auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains(certificate));
        // An RSA user key's certificate: the client signs as rsa-sha2-512-cert-v01@openssh.com.
        mark = log().length();
        r = withCertificate("cert-user-rsa", "alice", certificateFor("cert-user-rsa", "user-ca", "-n", "alice", "-V", "-5m:+1h"),
                "127.0.0.1:" + sshdPort);
        assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), r.output + log());
        auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains("\"certificate\":\"ID \\\"cert-" + certificates));
    }

    @Test
    @Feature({"certificates", "userauth"})
    void certificateFromTrustedUserCaKeysJumpsAndRespectsTheUsersDestinations() throws Exception {
        Path cert = certificate("org-ca", "-n", "dave", "-V", "-5m:+1h");
        Result r = withCertificate("dave", cert, "127.0.0.1:" + sshdPort);
        assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), r.output + log());
        // dave may only reach the IP form of the target.
        int mark = log().length();
        r = withCertificate("dave", cert, "localhost:" + sshdPort);
        assertTrue(r.output.contains("administratively prohibited: destination not allowed for this user"), r.output);
        auditSince(mark, l -> l.contains("\"user\":\"dave\"") && l.contains("\"closed\":\"refused: destination not allowed"));
        // A certificate of org-ca is no good for alice: org-ca is not on her cert-authority line, and
        // the trusted CAs want the user name as a principal.
        mark = log().length();
        r = withCertificate("alice", certificate("org-ca", "-n", "dave", "-V", "-5m:+1h"), "127.0.0.1:" + sshdPort);
        assertTrue(r.output.contains("Permission denied (publickey)"), r.output);
        auditSince(mark, l -> l.contains("\"event\":\"connection\"")
                && l.contains("certificate principals [dave] do not include [alice]"));
    }

    @Test
    @Feature({"certificates", "userauth"})
    void expiredCertificateIsRefusedAndAudited() throws Exception {
        Path cert = certificate("user-ca", "-n", "alice", "-V", "20200101:20200102");
        int mark = log().length();
        Result r = withCertificate("alice", cert, "127.0.0.1:" + sshdPort);
        assertEquals(255, r.status, r.output);
        assertTrue(r.output.contains("Permission denied (publickey)"), r.output);
        auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains("\"user\":null")
                && l.contains("\"auth_failure\":\"certificate expired") && l.contains("(certificate ID \\\"cert-" + certificates));
        // Not yet valid is refused the same way.
        mark = log().length();
        r = withCertificate("alice", certificate("user-ca", "-n", "alice", "-V", "+1d:+2d"), "127.0.0.1:" + sshdPort);
        assertTrue(r.output.contains("Permission denied (publickey)"), r.output);
        auditSince(mark, l -> l.contains("\"auth_failure\":\"certificate not yet valid"));
    }

    @Test
    @Feature({"certificates", "userauth"})
    void wrongPrincipalIsRefusedAndAudited() throws Exception {
        Path cert = certificate("user-ca", "-n", "bob", "-V", "-5m:+1h");
        int mark = log().length();
        Result r = withCertificate("alice", cert, "127.0.0.1:" + sshdPort);
        assertEquals(255, r.status, r.output);
        assertTrue(r.output.contains("Permission denied (publickey)"), r.output);
        auditSince(mark, l -> l.contains("\"event\":\"connection\"") && l.contains("\"user\":null")
                && l.contains("\"auth_failure\":\"certificate principals [bob] do not include [alice,jumpers]"));
    }

    @Test
    @Feature({"certificates", "userauth"})
    void certificateCriticalOptionsAndExtensionsAreHonoured() throws Exception {
        // source-address that excludes loopback: refused.
        int mark = log().length();
        Result r = withCertificate("alice", certificate("user-ca", "-n", "alice", "-V", "-5m:+1h",
                "-O", "source-address=192.0.2.0/24"), "127.0.0.1:" + sshdPort);
        assertTrue(r.output.contains("Permission denied (publickey)"), r.output);
        auditSince(mark, l -> l.contains("\"auth_failure\":\"source address not in the certificate's source-address"));
        // ... that includes it: in.
        r = withCertificate("alice", certificate("user-ca", "-n", "alice", "-V", "-5m:+1h",
                "-O", "source-address=127.0.0.0/8,::1"), "127.0.0.1:" + sshdPort);
        assertTrue(r.output.startsWith("SSH-2.0-OpenSSH"), r.output + log());
        // Without permit-port-forwarding the login succeeds and every channel is refused.
        mark = log().length();
        r = withCertificate("alice", certificate("user-ca", "-n", "alice", "-V", "-5m:+1h", "-O", "no-port-forwarding"),
                "127.0.0.1:" + sshdPort);
        assertTrue(r.output.contains("administratively prohibited: port forwarding disabled"), r.output);
        auditSince(mark, l -> l.contains("\"closed\":\"refused: port forwarding disabled"));
        // An unknown critical option: refused (PROTOCOL.certkeys MUST).
        mark = log().length();
        r = withCertificate("alice", certificate("user-ca", "-n", "alice", "-V", "-5m:+1h",
                "-O", "critical:frobnicate@example.org=1"), "127.0.0.1:" + sshdPort);
        assertTrue(r.output.contains("Permission denied (publickey)"), r.output);
        auditSince(mark, l -> l.contains("unsupported critical option 'frobnicate@example.org'"));
    }
}
