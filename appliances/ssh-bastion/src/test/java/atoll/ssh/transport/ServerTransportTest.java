package atoll.ssh.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.entropy.Entropies;
import atoll.libos.entropy.Entropy;
import atoll.ssh.wire.DisconnectReason;
import atoll.ssh.wire.MessageNumbers;
import atoll.ssh.wire.SshReader;
import atoll.ssh.wire.SshWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link ServerTransport} driven by {@link TestClient}, no sockets, fake time. */
class ServerTransportTest {
    static final long HOUR = 3_600_000_000_000L;
    final Entropy entropy = Entropies.seeded(4253);
    final List<byte[]> upper = new ArrayList<>();

    ServerTransport server(long rekeyBytes) {
        ServerTransport t = new ServerTransport(new TransportPolicy(List.of(KeyExchange.values()),
                TransportPolicy.SUPPORTED_CIPHERS, rekeyBytes, HOUR, "AtollTest"),
                new HostKey(new byte[32]), entropy, 0);
        t.upperLayer(payload -> {
            upper.add(payload);
            // Echo a service accept, so the client sees a protected answer.
            t.send(new SshWriter().byte8(MessageNumbers.SERVICE_ACCEPT).string("ssh-userauth").toByteArray());
        });
        return t;
    }

    static byte[] serviceRequest() {
        return new SshWriter().byte8(MessageNumbers.SERVICE_REQUEST).string("ssh-userauth").toByteArray();
    }

    @ParameterizedTest
    @CsvSource({
        "curve25519-sha256, chacha20-poly1305@openssh.com",
        "curve25519-sha256@libssh.org, aes128-gcm@openssh.com",
        "mlkem768x25519-sha256, aes256-gcm@openssh.com",
        "mlkem768x25519-sha256, chacha20-poly1305@openssh.com",
    })
    void keyExchangeThenProtectedService(String kex, String cipher) throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        client.keyExchange(kex, cipher);
        // RFC 8308: EXT_INFO with server-sig-algs follows the first NEWKEYS, under the new keys.
        byte[] ext = client.next();
        assertEquals(MessageNumbers.EXT_INFO, ext[0]);
        SshReader r = new SshReader(ext, 1, ext.length - 1);
        assertEquals(1, r.uint32());
        assertEquals("server-sig-algs", r.text());
        assertTrue(r.text().contains("ssh-ed25519"));
        client.send(serviceRequest());
        assertEquals(1, upper.size());
        byte[] accept = client.next();
        assertEquals(MessageNumbers.SERVICE_ACCEPT, accept[0]);
        assertTrue(server.strict());
        assertEquals(List.of(kex + " ssh-ed25519 " + cipher + "/" + cipher), server.negotiated());
        assertFalse(server.closed());
    }

    @Test
    void clientRequestedRekeyAndQueuedMessages() throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        byte[] h1 = client.keyExchange("curve25519-sha256", "aes128-gcm@openssh.com");
        client.next(); // EXT_INFO
        // A second KEXINIT from the client: the server answers with its own.
        client.clientKexInit = null;
        client.serverKexInit = null;
        byte[] h2 = rekey(client, "mlkem768x25519-sha256", "chacha20-poly1305@openssh.com");
        assertFalse(java.util.Arrays.equals(h1, h2));
        // RFC 4253 §7.2: the session identifier stays the first exchange hash.
        assertArrayEquals(h1, server.sessionId());
        client.send(serviceRequest());
        assertEquals(MessageNumbers.SERVICE_ACCEPT, client.next()[0]);
        assertEquals(2, server.completedKeyExchanges());
    }

    private static byte[] rekey(TestClient client, String kex, String cipher) throws Exception {
        return client.keyExchange(kex, cipher);
    }

    @Test
    void serverRekeysAfterVolumeAndAfterTime() throws Exception {
        ServerTransport server = server(64 * 1024);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        client.keyExchange("curve25519-sha256", "chacha20-poly1305@openssh.com");
        client.next();
        byte[] ignore = new SshWriter().byte8(MessageNumbers.IGNORE).string(new byte[8000]).toByteArray();
        for (int i = 0; i < 9; i++) {
            client.send(ignore);
        }
        byte[] kexInit = client.next();
        assertNotNull(kexInit, "no KEXINIT after 72 KB with a 64 KiB limit");
        assertEquals(MessageNumbers.KEXINIT, kexInit[0]);
        // Until its NEWKEYS the server holds service messages back (RFC 4253 §7.1).
        server.send(serviceRequest());
        client.serverKexInit = kexInit;
        client.keyExchange("curve25519-sha256", "aes256-gcm@openssh.com");
        assertEquals(MessageNumbers.SERVICE_REQUEST, client.next()[0]);
        // Time: a tick an hour later starts another.
        server.tick(HOUR + 1);
        assertEquals(MessageNumbers.KEXINIT, client.next()[0]);
    }

    @Test
    void strictKexRejectsIgnoreBeforeKexInit() throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        client.send(new SshWriter().byte8(MessageNumbers.IGNORE).string("x").toByteArray());
        assertDisconnected(server, client, DisconnectReason.PROTOCOL_ERROR);
    }

    @Test
    void strictKexRejectsIgnoreDuringInitialKex() throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        client.send(TestClient.kexInit(List.of("curve25519-sha256", "kex-strict-c-v00@openssh.com"), "aes128-gcm@openssh.com"));
        client.send(new SshWriter().byte8(MessageNumbers.IGNORE).string("x").toByteArray());
        assertDisconnected(server, client, DisconnectReason.PROTOCOL_ERROR);
        assertTrue(server.closeDescription().contains("strict"), server.closeDescription());
    }

    @Test
    void newKeysOutOfOrder() throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        client.send(TestClient.kexInit(List.of("curve25519-sha256"), "aes128-gcm@openssh.com"));
        client.send(new byte[] {MessageNumbers.NEWKEYS});
        assertDisconnected(server, client, DisconnectReason.PROTOCOL_ERROR);
    }

    @Test
    void serviceMessageBeforeKeys() throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        client.send(TestClient.kexInit(List.of("curve25519-sha256"), "aes128-gcm@openssh.com"));
        client.send(serviceRequest());
        assertDisconnected(server, client, DisconnectReason.PROTOCOL_ERROR);
        assertTrue(upper.isEmpty());
    }

    @Test
    void noCommonAlgorithm() throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        client.send(TestClient.kexInit(List.of("diffie-hellman-group1-sha1"), "aes128-gcm@openssh.com"));
        assertDisconnected(server, client, DisconnectReason.KEY_EXCHANGE_FAILED);
        client = new TestClient(server = server(1L << 30), entropy);
        client.hello();
        client.send(TestClient.kexInit(List.of("curve25519-sha256"), "aes128-cbc"));
        assertDisconnected(server, client, DisconnectReason.KEY_EXCHANGE_FAILED);
        // aes128-ctr needs a MAC; the client offers only MAC-then-encrypt hmac-sha2-256, which is not offered.
        client = new TestClient(server = server(1L << 30), entropy);
        client.hello();
        client.send(TestClient.kexInit(List.of("curve25519-sha256"), "aes128-ctr"));
        assertDisconnected(server, client, DisconnectReason.KEY_EXCHANGE_FAILED);
        assertEquals("no matching client to server MAC (offered hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com)",
                server.closeDescription());
        // An AEAD cipher needs no MAC: the same MAC list is no obstacle.
        client = new TestClient(server = server(1L << 30), entropy);
        client.hello();
        client.keyExchange("curve25519-sha256", "aes128-gcm@openssh.com");
        assertEquals(1, server.completedKeyExchanges());
    }

    @Test
    void badMacEndsTheConnection() throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        client.keyExchange("curve25519-sha256", "aes128-gcm@openssh.com");
        client.next();
        client.out.packet(serviceRequest(), 0, serviceRequest().length);
        byte[] wire = client.out.drain();
        wire[wire.length - 1] ^= 1;
        client.sendRaw(wire);
        assertTrue(server.closed());
        assertEquals(DisconnectReason.MAC_ERROR, server.closeReason());
        assertTrue(upper.isEmpty());
        // The DISCONNECT itself is protected with the current keys and readable.
        byte[] d = client.next();
        assertEquals(MessageNumbers.DISCONNECT, d[0]);
        assertEquals(DisconnectReason.MAC_ERROR.code, new SshReader(d, 1, 4).uint32());
    }

    @Test
    void oversizedPacket() throws Exception {
        ServerTransport server = server(1L << 30);
        TestClient client = new TestClient(server, entropy);
        client.hello();
        byte[] huge = new byte[8];
        Bytes.putInt(huge, 0, InboundFramer.MAX_PACKET_LENGTH + 8);
        client.sendRaw(huge);
        assertDisconnected(server, client, DisconnectReason.PROTOCOL_ERROR);
    }

    @Test
    void notSsh2() throws Exception {
        ServerTransport server = server(1L << 30);
        byte[] hello = "SSH-1.5-old\r\n".getBytes(StandardCharsets.US_ASCII);
        server.receive(hello, 0, hello.length, 0);
        assertTrue(server.closed());
        assertEquals(DisconnectReason.PROTOCOL_VERSION_NOT_SUPPORTED, server.closeReason());
        String out = new String(server.output().drain(), StandardCharsets.ISO_8859_1);
        assertTrue(out.startsWith("SSH-2.0-AtollTest\r\n"), out);
        assertTrue(out.endsWith("Protocol mismatch.\r\n"), out);
    }

    static void assertDisconnected(ServerTransport server, TestClient client, DisconnectReason reason) throws Exception {
        assertTrue(server.closed(), "still open");
        assertEquals(reason, server.closeReason(), server.closeDescription());
        byte[] last = null;
        for (byte[] p : client.pump()) {
            last = p;
        }
        assertNotNull(last, "no DISCONNECT sent");
        assertEquals(MessageNumbers.DISCONNECT, last[0]);
        assertEquals(reason.code, new SshReader(last, 1, 4).uint32());
        // Nothing more is processed after the end.
        client.sendRaw(new byte[] {0, 0, 0, 12});
        assertThrows(IndexOutOfBoundsException.class, () -> client.pump().get(0));
    }
}
