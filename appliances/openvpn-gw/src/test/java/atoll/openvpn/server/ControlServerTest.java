package atoll.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.openvpn.crypto.SessionCookie;
import atoll.openvpn.crypto.StaticKey;
import atoll.openvpn.crypto.ControlProtection;
import atoll.openvpn.crypto.TlsCrypt;
import atoll.openvpn.wire.ControlPacket;
import atoll.openvpn.wire.Opcode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server engine driven by a simulated client speaking tls-crypt, on a simulated clock. */
class ControlServerTest {
    static final long SECOND = 1_000_000_000L;
    static final StaticKey KEY = key(9);
    static final byte[] CLIENT_HELLO_START = {22, 3, 1, 0, 100, 1, 0, 0, 96};

    static StaticKey key(long seed) {
        byte[] k = new byte[StaticKey.LENGTH];
        new java.util.Random(seed).nextBytes(k);
        return StaticKey.of(k);
    }

    static ControlServer server(int maxClients) {
        byte[] secret = new byte[32];
        new java.util.Random(1).nextBytes(secret);
        return new ControlServer(new TlsCrypt(KEY, TlsCrypt.Role.SERVER), new SessionCookie(secret, Duration.ofSeconds(30)),
                maxClients);
    }

    static Peer peer(int port) throws Exception {
        return new Peer(InetAddress.getByName("127.0.0.1"), port);
    }

    final TlsCrypt client = new TlsCrypt(KEY, TlsCrypt.Role.CLIENT);
    long wrapId = 1;

    List<Action> send(ControlServer s, Peer p, ControlPacket c, long now) {
        byte[] w = client.wrap(c, wrapId++, 1000);
        return s.receive(p, w, 0, w.length, now, 1000);
    }

    ControlPacket reply(List<Action> actions, int i) {
        var send = assertInstanceOf(Action.Send.class, actions.get(i));
        byte[] d = send.datagram();
        return assertInstanceOf(ControlProtection.Authentic.class, client.unwrap(d, 0, d.length)).packet();
    }

    static ControlPacket reset(long clientSession) {
        return new ControlPacket(Opcode.CONTROL_HARD_RESET_CLIENT_V2, 0, clientSession, new long[0], 0, 0, new byte[0]);
    }

    @Test
    void statelessCookieHandshakeThenTlsOverTheReliableChannel() throws Exception {
        ControlServer s = server(10);
        Peer p = peer(40000);
        List<Action> r = send(s, p, reset(0x77), 0);
        assertEquals(1, r.size());
        ControlPacket serverReset = reply(r, 0);
        assertEquals(Opcode.CONTROL_HARD_RESET_SERVER_V2, serverReset.opcode());
        assertArrayEquals(new long[] {0}, serverReset.acks(), "acknowledges the client's reset");
        assertEquals(0x77, serverReset.remoteSessionId());
        assertEquals(0, serverReset.messageId());
        assertEquals(0, s.sessionCount(), "nothing kept for a reset");
        // The retransmitted reset gets the same session id.
        assertEquals(serverReset.sessionId(), reply(send(s, p, reset(0x77), SECOND), 0).sessionId());

        // The client's first TLS record, acknowledging the server's reset with the cookie.
        List<Action> opened = send(s, p, new ControlPacket(Opcode.CONTROL_V1, 0, 0x77, new long[] {0},
                serverReset.sessionId(), 1, CLIENT_HELLO_START), 2 * SECOND);
        assertEquals(1, s.sessionCount());
        assertInstanceOf(Action.SessionOpened.class, opened.get(0));
        var hello = assertInstanceOf(Action.TlsClientHello.class, opened.get(1));
        assertEquals(CLIENT_HELLO_START.length, hello.tlsOctets());
        ControlPacket ack = reply(opened, 2);
        assertEquals(Opcode.ACK_V1, ack.opcode());
        assertArrayEquals(new long[] {1}, ack.acks());
        assertEquals(serverReset.sessionId(), ack.sessionId());
    }

    @Test
    void aClientHelloSplitOverReorderedPacketsIsReassembled() throws Exception {
        ControlServer s = server(10);
        Peer p = peer(40001);
        long sid = reply(send(s, p, reset(5), 0), 0).sessionId();
        // Ids 2 and 3 arrive first; the session opens with id 1's ack of the reset... only once
        // id 1 (which carries the cookie) arrives, so send 1 first, then 3, then 2.
        send(s, p, new ControlPacket(Opcode.CONTROL_V1, 0, 5, new long[] {0}, sid, 1, new byte[] {22, 3}), 0);
        List<Action> late = send(s, p, new ControlPacket(Opcode.CONTROL_V1, 0, 5, new long[0], 0, 3,
                new byte[] {1, 0}), 0);
        assertTrue(late.stream().noneMatch(a -> a instanceof Action.TlsClientHello), "not in order yet");
        List<Action> r = send(s, p, new ControlPacket(Opcode.CONTROL_V1, 0, 5, new long[0], 0, 2,
                new byte[] {1, 0, 50}), 0);
        assertTrue(r.stream().anyMatch(a -> a instanceof Action.TlsClientHello h && h.tlsOctets() == 7), r::toString);
    }

    @Test
    void aResetFloodKeepsNoStateAndForgedCookiesAreDropped() throws Exception {
        ControlServer s = server(10);
        for (int i = 0; i < 20_000; i++) {
            send(s, peer(1024 + i % 60000), reset(i), i);
        }
        assertEquals(0, s.sessionCount());
        assertEquals(20_000, s.statelessResets());
        // A P_CONTROL_V1 whose ack carries a guessed server session id.
        send(s, peer(2000), new ControlPacket(Opcode.CONTROL_V1, 0, 1, new long[] {0}, 12345, 1, CLIENT_HELLO_START), 0);
        // The right cookie, but for another client address (the cookie binds the address).
        long sid = reply(send(s, peer(3000), reset(1), 0), 0).sessionId();
        send(s, peer(3001), new ControlPacket(Opcode.CONTROL_V1, 0, 1, new long[] {0}, sid, 1, CLIENT_HELLO_START), 0);
        // The right cookie, two slots later (the handshake window passed).
        send(s, peer(3000), new ControlPacket(Opcode.CONTROL_V1, 0, 1, new long[] {0}, sid, 1, CLIENT_HELLO_START),
                61 * SECOND);
        assertEquals(3, s.drops(Drop.NO_COOKIE));
        assertEquals(0, s.sessionCount());
    }

    @Test
    void badTagsAndReplaysAreDroppedBeforeAnyState() throws Exception {
        ControlServer s = server(10);
        Peer p = peer(40002);
        long sid = reply(send(s, p, reset(8), 0), 0).sessionId();
        ControlPacket first = new ControlPacket(Opcode.CONTROL_V1, 0, 8, new long[] {0}, sid, 1, CLIENT_HELLO_START);
        byte[] wrapped = client.wrap(first, 50, 1000);
        byte[] tampered = wrapped.clone();
        tampered[tampered.length - 1] ^= 1;
        assertEquals(List.of(), s.receive(p, tampered, 0, tampered.length, 0, 1000));
        assertEquals(1, s.drops(Drop.BAD_TAG));
        assertEquals(0, s.sessionCount());
        byte[] otherKey = new TlsCrypt(key(10), TlsCrypt.Role.CLIENT).wrap(first, 50, 1000);
        s.receive(p, otherKey, 0, otherKey.length, 0, 1000);
        assertEquals(2, s.drops(Drop.BAD_TAG));
        s.receive(p, wrapped, 0, wrapped.length, 0, 1000);
        assertEquals(1, s.sessionCount());
        assertEquals(List.of(), s.receive(p, wrapped, 0, wrapped.length, 0, 1000), "the same packet again");
        assertEquals(1, s.drops(Drop.REPLAY));
    }

    @Test
    void maxClientsAndUnimplementedParts() throws Exception {
        ControlServer s = server(2);
        for (int i = 0; i < 3; i++) {
            Peer p = peer(5000 + i);
            long sid = reply(send(s, p, reset(i), 0), 0).sessionId();
            send(s, p, new ControlPacket(Opcode.CONTROL_V1, 0, i, new long[] {0}, sid, 1, CLIENT_HELLO_START), 0);
        }
        assertEquals(2, s.sessionCount());
        assertEquals(1, s.drops(Drop.MAX_CLIENTS));
        byte[] data = {0x48, 0, 0, 1, 1, 2, 3};
        s.receive(peer(1), data, 0, data.length, 0, 0);
        assertEquals(1, s.drops(Drop.DATA_CHANNEL));
        byte[] v3 = {0x50, 0, 0, 0};
        s.receive(peer(1), v3, 0, v3.length, 0, 0);
        assertEquals(1, s.drops(Drop.TLS_CRYPT_V2));
        s.receive(peer(1), new byte[0], 0, 0, 0, 0);
        assertEquals(1, s.drops(Drop.MALFORMED));
    }

    @Test
    void retransmitsAndExpiresOnTheClock() throws Exception {
        ControlServer s = server(2);
        Peer p = peer(6000);
        long sid = reply(send(s, p, reset(4), 0), 0).sessionId();
        send(s, p, new ControlPacket(Opcode.CONTROL_V1, 0, 4, new long[] {0}, sid, 1, CLIENT_HELLO_START), 0);
        assertEquals(ControlServer.HAND_WINDOW_NANOS, s.nextDeadline(0), "nothing in flight: only the window");
        List<Action> closed = s.poll(ControlServer.HAND_WINDOW_NANOS, 0);
        assertInstanceOf(Action.SessionClosed.class, closed.get(0));
        assertEquals(0, s.sessionCount());
    }
}
