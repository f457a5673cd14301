package atoll.ssh.transport;

import atoll.libos.entropy.Entropy;
import atoll.ssh.wire.MessageNumbers;
import atoll.ssh.wire.SshReader;
import atoll.ssh.wire.SshWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMExtractor;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPublicKeyParameters;

/**
 * A minimal SSH client written in the test from the RFC text, independent of the server's kex
 * code: it drives a {@link ServerTransport} through version exchange and one key exchange
 * (curve25519-sha256 or mlkem768x25519-sha256), checks the host key's signature on H and then
 * speaks protected packets. Used where the real OpenSSH client cannot reach (ML-KEM is newer than
 * OpenSSH 9.2) and to send what a real client never sends.
 */
final class TestClient {
    static final byte[] VERSION = "SSH-2.0-AtollTestClient".getBytes(StandardCharsets.US_ASCII);
    final ServerTransport server;
    final InboundFramer in = new InboundFramer();
    final OutboundPackets out;
    final Entropy entropy;
    byte[] serverVersion;
    byte[] serverKexInit;
    byte[] clientKexInit;
    byte[] sessionId;
    final List<byte[]> received = new ArrayList<>();
    long now;

    TestClient(ServerTransport server, Entropy entropy) {
        this.server = server;
        this.entropy = entropy;
        this.out = new OutboundPackets(entropy);
    }

    /** Moves the server's output to the client; the next payload that arrived, or null. */
    byte[] next() throws SshDisconnect {
        byte[] bytes = server.output().drain();
        in.feed(bytes, 0, bytes.length);
        if (serverVersion == null) {
            String line = in.nextLine();
            serverVersion = line.getBytes(StandardCharsets.ISO_8859_1);
        }
        return in.nextPayload();
    }

    /** Every payload waiting. */
    List<byte[]> pump() throws SshDisconnect {
        List<byte[]> got = new ArrayList<>();
        byte[] p;
        while ((p = next()) != null) {
            got.add(p);
        }
        return got;
    }

    void sendRaw(byte[] bytes) {
        server.receive(bytes, 0, bytes.length, now);
    }

    void send(byte[] payload) {
        out.packet(payload, 0, payload.length);
        byte[] b = out.drain();
        sendRaw(b);
    }

    void hello() throws SshDisconnect {
        byte[] v = Arrays.copyOf(VERSION, VERSION.length + 2);
        v[v.length - 2] = '\r';
        v[v.length - 1] = '\n';
        sendRaw(v);
        serverKexInit = next();
    }

    static byte[] kexInit(List<String> kex, String cipher) {
        return new SshWriter().byte8(MessageNumbers.KEXINIT).raw(new byte[16]).nameList(kex)
                .nameList(List.of("ssh-ed25519")).nameList(List.of(cipher)).nameList(List.of(cipher))
                .nameList(List.of("hmac-sha2-256")).nameList(List.of("hmac-sha2-256"))
                .nameList(List.of("none")).nameList(List.of("none")).nameList(List.of()).nameList(List.of())
                .bool(false).uint32(0).toByteArray();
    }

    /** One complete key exchange; returns the exchange hash. */
    byte[] keyExchange(String kexName, String cipher) throws Exception {
        clientKexInit = kexInit(List.of(kexName, "kex-strict-c-v00@openssh.com", "ext-info-c"), cipher);
        send(clientKexInit);
        if (serverKexInit == null) {
            serverKexInit = next();
        }
        X25519PrivateKeyParameters x = new X25519PrivateKeyParameters(new EntropyRandom(entropy));
        byte[] xPublic = x.generatePublicKey().getEncoded();
        boolean hybrid = kexName.startsWith("mlkem");
        MLKEMPrivateKeyParameters kemPrivate = null;
        byte[] clientPublic = xPublic;
        if (hybrid) {
            MLKEMKeyPairGenerator g = new MLKEMKeyPairGenerator();
            g.init(new MLKEMKeyGenerationParameters(new EntropyRandom(entropy), MLKEMParameters.ml_kem_768));
            AsymmetricCipherKeyPair pair = g.generateKeyPair();
            kemPrivate = (MLKEMPrivateKeyParameters) pair.getPrivate();
            byte[] kemPublic = ((MLKEMPublicKeyParameters) pair.getPublic()).getEncoded();
            clientPublic = new byte[kemPublic.length + 32];
            System.arraycopy(kemPublic, 0, clientPublic, 0, kemPublic.length);
            System.arraycopy(xPublic, 0, clientPublic, kemPublic.length, 32);
        }
        send(new SshWriter().byte8(MessageNumbers.KEX_ECDH_INIT).string(clientPublic).toByteArray());
        byte[] replyMessage = next();
        SshReader r = new SshReader(replyMessage, 1, replyMessage.length - 1);
        if ((replyMessage[0] & 0xff) != MessageNumbers.KEX_ECDH_REPLY) {
            throw new AssertionError("no KEX_ECDH_REPLY but message " + replyMessage[0]);
        }
        byte[] hostBlob = r.string();
        byte[] serverPublic = r.string();
        byte[] signature = r.string();
        byte[] ecdh = new byte[32];
        X25519Agreement a = new X25519Agreement();
        a.init(x);
        a.calculateAgreement(new X25519PublicKeyParameters(serverPublic, serverPublic.length - 32), ecdh, 0);
        byte[] k;
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        if (hybrid) {
            byte[] kemSecret = new MLKEMExtractor(kemPrivate).extractSecret(Arrays.copyOf(serverPublic, serverPublic.length - 32));
            d.update(kemSecret);
            d.update(ecdh);
            k = new SshWriter().string(d.digest()).toByteArray();
        } else {
            k = new SshWriter().mpintUnsigned(ecdh).toByteArray();
        }
        d.update(new SshWriter().string(VERSION).string(serverVersion).string(clientKexInit).string(serverKexInit)
                .string(hostBlob).string(clientPublic).string(serverPublic).raw(k).toByteArray());
        byte[] h = d.digest();
        SshReader hk = new SshReader(hostBlob);
        hk.text();
        SshReader sig = new SshReader(signature);
        if (!sig.text().equals("ssh-ed25519")) {
            throw new AssertionError("signature type");
        }
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, new Ed25519PublicKeyParameters(hk.string(), 0));
        v.update(h, 0, h.length);
        if (!v.verifySignature(sig.string())) {
            throw new AssertionError("host key signature on H does not verify");
        }
        if (sessionId == null) {
            sessionId = h;
        }
        byte[] newKeys = next();
        if (newKeys == null || (newKeys[0] & 0xff) != MessageNumbers.NEWKEYS) {
            throw new AssertionError("no NEWKEYS after the reply");
        }
        in.rekey(cipher(cipher, k, h, 'B', 'D', false), true);
        send(new byte[] {MessageNumbers.NEWKEYS});
        out.rekey(cipher(cipher, k, h, 'A', 'C', true), true);
        serverKexInit = null;
        return h;
    }

    private PacketCipher cipher(String name, byte[] k, byte[] h, char iv, char key, boolean encrypt) throws Exception {
        return switch (name) {
            case "chacha20-poly1305@openssh.com" -> new ChaChaPolyCipher(derive(k, h, key, 64));
            case "aes128-gcm@openssh.com" -> new AesGcmCipher(name, derive(k, h, key, 16), derive(k, h, iv, 12), encrypt);
            default -> new AesGcmCipher(name, derive(k, h, key, 32), derive(k, h, iv, 12), encrypt);
        };
    }

    private byte[] derive(byte[] k, byte[] h, char letter, int length) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] key = d.digest(new SshWriter().raw(k).raw(h).byte8(letter).raw(sessionId).toByteArray());
        while (key.length < length) {
            byte[] more = d.digest(new SshWriter().raw(k).raw(h).raw(key).toByteArray());
            byte[] longer = Arrays.copyOf(key, key.length + more.length);
            System.arraycopy(more, 0, longer, key.length, more.length);
            key = longer;
        }
        return Arrays.copyOf(key, length);
    }
}
