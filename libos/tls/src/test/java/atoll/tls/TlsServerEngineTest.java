package atoll.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.entropy.Entropies;
import atoll.libos.store.DirectoryStore;
import atoll.libos.time.Clock;
import atoll.libos.time.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server engine against Bouncy Castle's own TLS client (with its pure-Java crypto, a separate
 * implementation of every primitive from the server's JDK-backed one), byte for byte in memory: no
 * sockets, so what is asserted is the negotiation itself.
 */
class TlsServerEngineTest {
    static final Clock CLOCK = new Clock() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public Instant now() {
            return Instant.parse("2026-11-28T00:00:00Z");
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException();
        }
    };

    @TempDir static Path tmp;
    static ServerIdentity ecdsa;
    static ServerIdentity rsa;
    static X509Certificate ca;

    @BeforeAll
    static void identities() throws Exception {
        var dev = DevelopmentCertificates.loadOrCreate(DirectoryStore.open(tmp.resolve("state")),
                Entropies.seeded(1), CLOCK.now(), List.of("a.example"));
        ecdsa = dev.identity();
        ca = Pem.certificates(java.nio.file.Files.readAllBytes(Path.of(dev.caCertificate())), "ca").getFirst();
        rsa = TestCertificates.selfSignedRsa("b.example");
    }

    TlsServer server(ServerIdentity... ids) {
        return new TlsServer(new TlsSettings(List.of(ids), List.of("h2", "http/1.1"), 16, Duration.ofHours(1)),
                Entropies.seeded(2), CLOCK);
    }

    /** A Bouncy Castle client with the given groups (first gets an early key share), SNI and ALPN. */
    static final class Client extends DefaultTlsClient {
        final int[] groups;
        final String sni;
        final List<String> alpn;
        final ProtocolVersion[] versions;
        TlsSession resume;
        X509Certificate[] serverChain;

        Client(int[] groups, String sni, List<String> alpn, ProtocolVersion[] versions) {
            super(new BcTlsCrypto(new SecureRandom()));
            this.groups = groups;
            this.sni = sni;
            this.alpn = alpn;
            this.versions = versions;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return versions;
        }

        @Override
        protected Vector getSupportedGroups(Vector roles) {
            Vector<Integer> v = new Vector<>();
            for (int g : groups) {
                v.add(g);
            }
            return v;
        }

        @Override
        public Vector getEarlyKeyShareGroups() {
            Vector<Integer> v = new Vector<>();
            v.add(groups[0]);
            return v;
        }

        @Override
        protected Vector getSNIServerNames() {
            if (sni == null) {
                return null;
            }
            Vector<ServerName> v = new Vector<>();
            v.add(new ServerName(org.bouncycastle.tls.NameType.host_name, sni.getBytes(StandardCharsets.US_ASCII)));
            return v;
        }

        @Override
        protected Vector getProtocolNames() {
            Vector<ProtocolName> v = new Vector<>();
            alpn.forEach(p -> v.add(ProtocolName.asUtf8Encoding(p)));
            return v;
        }

        TlsSession established;
        /** RFC 5077: null offers no session_ticket extension, empty asks for a ticket, else presents it. */
        byte[] ticketToOffer;
        byte[] receivedTicket;

        @Override
        public java.util.Hashtable getClientExtensions() throws IOException {
            java.util.Hashtable ext = super.getClientExtensions();
            if (ticketToOffer != null) {
                ext.put(org.bouncycastle.tls.ExtensionType.session_ticket, ticketToOffer);
            }
            return ext;
        }

        @Override
        public void notifyNewSessionTicket(org.bouncycastle.tls.NewSessionTicket t) throws IOException {
            receivedTicket = t.getTicket();
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            established = context.getSession();
        }

        @Override
        public TlsSession getSessionToResume() {
            return resume;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new ServerOnlyTlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate sc) throws IOException {
                    var certs = sc.getCertificate().getCertificateList();
                    serverChain = new X509Certificate[certs.length];
                    try {
                        var cf = java.security.cert.CertificateFactory.getInstance("X.509");
                        for (int i = 0; i < certs.length; i++) {
                            serverChain[i] = (X509Certificate) cf.generateCertificate(
                                    new java.io.ByteArrayInputStream(certs[i].getEncoded()));
                        }
                    } catch (java.security.cert.CertificateException e) {
                        throw new IOException(e);
                    }
                }
            };
        }
    }

    static Client tls13(int... groups) {
        return new Client(groups, "localhost", List.of("h2", "http/1.1"), ProtocolVersion.TLSv13.only());
    }

    /** Moves bytes both ways until neither side has anything to say; bounded. */
    static void shuttle(TlsClientProtocol client, TlsServerEngine server) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (int round = 0; round < 50; round++) {
            boolean moved = false;
            int n;
            while ((n = client.readOutput(buf, 0, buf.length)) > 0) {
                server.receive(buf, 0, n);
                moved = true;
            }
            ByteBuffer bb = ByteBuffer.allocate(1 << 16);
            while (server.pendingOutput() > 0) {
                bb.clear();
                int m = server.takeOutput(bb, bb.remaining());
                client.offerInput(bb.array(), 0, m);
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("handshake did not settle");
    }

    static TlsServerEngine connect(TlsServer server, Client c, TlsClientProtocol protocol) throws IOException {
        TlsServerEngine engine = server.newEngine();
        protocol.connect(c);
        shuttle(protocol, engine);
        assertTrue(protocol.isConnected(), "client connected");
        assertFalse(engine.handshaking(), "server done");
        return engine;
    }

    @Test
    void hybridPostQuantumGroupIsChosenWhenOffered() throws IOException {
        Client c = tls13(NamedGroup.X25519MLKEM768, NamedGroup.x25519);
        TlsServerEngine engine = connect(server(ecdsa), c, new TlsClientProtocol());
        TlsSessionInfo info = engine.session().orElseThrow();
        assertEquals("TLSv1.3", info.version());
        assertEquals("X25519MLKEM768", info.group());
        assertEquals(Optional.of("h2"), info.applicationProtocol());
        assertEquals(Optional.of("localhost"), info.serverName());
    }

    @Test
    void hybridIsPreferredEvenWhenTheClientSharedX25519First() throws IOException {
        // The client's early key share is x25519; the server's order asks for the hybrid (HelloRetryRequest).
        Client c = tls13(NamedGroup.x25519, NamedGroup.X25519MLKEM768);
        TlsServerEngine engine = connect(server(ecdsa), c, new TlsClientProtocol());
        assertEquals("X25519MLKEM768", engine.session().orElseThrow().group());
    }

    @Test
    void classicGroupsWhenNoHybridIsOffered() throws IOException {
        assertEquals("x25519", connect(server(ecdsa), tls13(NamedGroup.x25519), new TlsClientProtocol())
                .session().orElseThrow().group());
        assertEquals("secp256r1", connect(server(ecdsa), tls13(NamedGroup.secp256r1), new TlsClientProtocol())
                .session().orElseThrow().group());
    }

    @Test
    void applicationDataBothWays() throws IOException {
        TlsClientProtocol protocol = new TlsClientProtocol();
        TlsServerEngine engine = connect(server(ecdsa), tls13(NamedGroup.x25519), protocol);
        byte[] hello = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        protocol.writeApplicationData(hello, 0, hello.length);
        shuttle(protocol, engine);
        ByteBuffer got = ByteBuffer.allocate(100);
        assertEquals(hello.length, engine.readApplication(got, 100));
        assertArrayEquals(hello, java.util.Arrays.copyOf(got.array(), hello.length));
        byte[] reply = new byte[40_000]; // more than one record (RFC 8446 §5.1: 2^14 per record)
        new java.util.Random(3).nextBytes(reply);
        engine.send(reply, 0, reply.length);
        shuttle(protocol, engine);
        byte[] back = new byte[reply.length];
        int n = protocol.readInput(back, 0, back.length);
        assertEquals(reply.length, n);
        assertArrayEquals(reply, back);
        engine.close();
        shuttle(protocol, engine);
        assertTrue(protocol.isClosed(), "client saw close_notify");
    }

    @Test
    void sniChoosesTheCertificateAndItsKeyKind() throws IOException {
        TlsServer both = server(ecdsa, rsa);
        Client toB = new Client(new int[] {NamedGroup.x25519}, "b.example", List.of("http/1.1"),
                ProtocolVersion.TLSv13.only());
        connect(both, toB, new TlsClientProtocol());
        assertEquals(rsa.leaf(), toB.serverChain[0]);
        Client toA = new Client(new int[] {NamedGroup.x25519}, "a.example", List.of("http/1.1"),
                ProtocolVersion.TLSv13.only());
        connect(both, toA, new TlsClientProtocol());
        assertEquals(ecdsa.leaf(), toA.serverChain[0]);
        Client unknown = new Client(new int[] {NamedGroup.x25519}, "c.example", List.of("http/1.1"),
                ProtocolVersion.TLSv12.only());
        connect(both, unknown, new TlsClientProtocol());
        assertEquals(ecdsa.leaf(), unknown.serverChain[0], "an unknown name gets the default (first) certificate");
    }

    @Test
    void developmentLeafIsSignedByTheDevelopmentCa() throws Exception {
        ecdsa.leaf().verify(ca.getPublicKey());
        assertTrue(ecdsa.matches("localhost") && ecdsa.matches("a.example") && !ecdsa.matches("b.example"));
        var again = DevelopmentCertificates.loadOrCreate(DirectoryStore.open(tmp.resolve("state")),
                Entropies.seeded(9), CLOCK.now(), List.of("a.example"));
        assertFalse(again.created(), "second start reuses the stored certificate");
        assertEquals(ecdsa.leaf(), again.identity().leaf());
    }

    @Test
    void tls12ResumesBySessionId() throws IOException {
        TlsServer s = server(ecdsa, rsa);
        Client first = new Client(new int[] {NamedGroup.x25519}, "localhost", List.of("http/1.1"),
                ProtocolVersion.TLSv12.only());
        TlsClientProtocol p1 = new TlsClientProtocol();
        TlsServerEngine e1 = connect(s, first, p1);
        assertEquals("TLSv1.2", e1.session().orElseThrow().version());
        assertFalse(e1.session().orElseThrow().resumed());
        assertEquals(1, s.cachedSessions());
        Client second = new Client(new int[] {NamedGroup.x25519}, "localhost", List.of("http/1.1"),
                ProtocolVersion.TLSv12.only());
        second.resume = first.established;
        TlsServerEngine e2 = connect(s, second, new TlsClientProtocol());
        assertTrue(e2.session().orElseThrow().resumed(), "abbreviated handshake");
    }

    /**
     * RFC 5077: a full TLS 1.2 handshake that asked for a ticket gets one; presenting it later with
     * a session ID the server never issued (so its session cache cannot help) resumes; an
     * altered ticket gets a full handshake instead.
     */
    @Test
    void tls12ResumesBySessionTicket() throws IOException {
        TlsServer s = server(ecdsa, rsa);
        Client first = new Client(new int[] {NamedGroup.x25519}, "localhost", List.of("http/1.1"),
                ProtocolVersion.TLSv12.only());
        first.ticketToOffer = new byte[0];
        TlsServerEngine e1 = connect(s, first, new TlsClientProtocol());
        assertFalse(e1.session().orElseThrow().resumed());
        assertEquals(SessionTickets.TICKET_LENGTH, first.receivedTicket.length, "a ticket was issued");

        byte[] unknownId = new byte[32];
        new SecureRandom().nextBytes(unknownId);
        Client second = new Client(new int[] {NamedGroup.x25519}, "localhost", List.of("http/1.1"),
                ProtocolVersion.TLSv12.only());
        second.resume = org.bouncycastle.tls.TlsUtils.importSession(unknownId,
                first.established.exportSessionParameters());
        second.ticketToOffer = first.receivedTicket;
        TlsServerEngine e2 = connect(s, second, new TlsClientProtocol());
        assertTrue(e2.session().orElseThrow().resumed(), "abbreviated handshake from the ticket");

        Client third = new Client(new int[] {NamedGroup.x25519}, "localhost", List.of("http/1.1"),
                ProtocolVersion.TLSv12.only());
        new SecureRandom().nextBytes(unknownId);
        third.resume = org.bouncycastle.tls.TlsUtils.importSession(unknownId.clone(),
                first.established.exportSessionParameters());
        byte[] altered = first.receivedTicket.clone();
        altered[altered.length - 1] ^= 1;
        third.ticketToOffer = altered;
        TlsServerEngine e3 = connect(s, third, new TlsClientProtocol());
        assertFalse(e3.session().orElseThrow().resumed(), "an altered ticket is refused: full handshake");
    }

    /** TLS 1.3 gets no RFC 5077 extension back (RFC 8446 §4.2: it is not defined for 1.3). */
    @Test
    void tls13IgnoresTheSessionTicketExtension() throws IOException {
        Client c = tls13(NamedGroup.x25519);
        c.ticketToOffer = new byte[0];
        TlsServerEngine e = connect(server(ecdsa), c, new TlsClientProtocol());
        assertEquals("TLSv1.3", e.session().orElseThrow().version());
        assertEquals(null, c.receivedTicket);
    }

    @Test
    void bouncyCastleCryptoChoiceNegotiatesTheSame() throws IOException {
        TlsServer bc = new TlsServer(new TlsSettings(List.of(ecdsa, rsa), List.of("h2", "http/1.1"), 16,
                Duration.ofHours(1)), Entropies.seeded(4), CLOCK, TlsCryptoChoice.BOUNCY_CASTLE);
        TlsServerEngine e = connect(bc, tls13(NamedGroup.X25519MLKEM768, NamedGroup.x25519), new TlsClientProtocol());
        assertEquals("X25519MLKEM768", e.session().orElseThrow().group());
        Client toB = new Client(new int[] {NamedGroup.x25519}, "b.example", List.of("http/1.1"),
                ProtocolVersion.TLSv12.only());
        connect(bc, toB, new TlsClientProtocol());
        assertEquals(rsa.leaf(), toB.serverChain[0]);
    }

    @Test
    void tls12EcdheUsesOnlyOurGroupsWhateverTheClientListsFirst() throws IOException {
        // testssl.sh lists curves the JDK lacks first; the server must pick x25519 or secp256r1.
        Client c = new Client(new int[] {NamedGroup.secp384r1, NamedGroup.secp256r1, NamedGroup.x25519}, "localhost",
                List.of("http/1.1"), ProtocolVersion.TLSv12.only());
        assertEquals("x25519", connect(server(ecdsa), c, new TlsClientProtocol()).session().orElseThrow().group());
        Client p256 = new Client(new int[] {NamedGroup.secp521r1, NamedGroup.secp256r1}, "localhost",
                List.of("http/1.1"), ProtocolVersion.TLSv12.only());
        assertEquals("secp256r1", connect(server(ecdsa), p256, new TlsClientProtocol()).session().orElseThrow().group());
        Client none = new Client(new int[] {NamedGroup.secp384r1}, "localhost", List.of("http/1.1"),
                ProtocolVersion.TLSv12.only());
        TlsServerEngine e = server(ecdsa).newEngine();
        TlsClientProtocol p = new TlsClientProtocol();
        p.connect(none);
        assertThrows(IOException.class, () -> shuttle(p, e), "no group in common: handshake_failure");
    }

    @Test
    void garbageIsAFatalAlertNotAnException() throws IOException {
        TlsServerEngine engine = server(ecdsa).newEngine();
        byte[] junk = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        TlsFailure f = assertThrows(TlsFailure.class, () -> engine.receive(junk, 0, junk.length));
        assertTrue(engine.closed());
        assertTrue(f.getMessage() != null);
        // Input after the failure is ignored, not an exception.
        engine.receive(junk, 0, junk.length);
    }

    @Test
    void noCommonApplicationProtocolIsRefused() throws IOException {
        Client c = new Client(new int[] {NamedGroup.x25519}, "localhost", List.of("spdy/3"),
                ProtocolVersion.TLSv13.only());
        TlsClientProtocol p = new TlsClientProtocol();
        TlsServerEngine engine = server(ecdsa).newEngine();
        p.connect(c);
        // RFC 7301 §3.2: no_application_protocol.
        IOException e = assertThrows(IOException.class, () -> shuttle(p, engine));
        assertTrue(e.getMessage().contains(AlertDescription.getName(AlertDescription.no_application_protocol)),
                e.getMessage());
    }

    static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, new SecureRandom());
        return g.generateKeyPair();
    }
}
