package atoll.ssh.transport;

import atoll.ssh.wire.SshWriter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** The server's ssh-ed25519 host key (RFC 8709). */
public final class HostKey implements ServerHostKey {
    public static final String ALGORITHM = "ssh-ed25519";
    private final Ed25519PrivateKeyParameters key;
    private final byte[] blob;

    public HostKey(byte[] seed32) {
        this.key = new Ed25519PrivateKeyParameters(seed32, 0);
        // RFC 8709 §4: string "ssh-ed25519", string key.
        this.blob = new SshWriter(51).string(ALGORITHM).string(key.generatePublicKey().getEncoded()).toByteArray();
    }

    @Override
    public String keyType() {
        return ALGORITHM;
    }

    @Override
    public java.util.List<String> algorithms() {
        return java.util.List.of(ALGORITHM);
    }

    @Override
    public byte[] publicBlob() {
        return blob.clone();
    }

    @Override
    public byte[] sign(String algorithm, byte[] data) {
        return sign(data);
    }

    /** RFC 8709 §6: string "ssh-ed25519", string signature. */
    public byte[] sign(byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(data, 0, data.length);
        return new SshWriter(83).string(ALGORITHM).string(signer.generateSignature()).toByteArray();
    }

    public static String fingerprint(byte[] blob) {
        return atoll.ssh.auth.PublicKeys.fingerprint(blob);
    }
}
