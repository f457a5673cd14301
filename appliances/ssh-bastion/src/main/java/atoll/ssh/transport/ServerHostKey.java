package atoll.ssh.transport;

import java.util.List;

/** A host key and the signature algorithms (RFC 4253 §6.6 names) it can serve. */
public sealed interface ServerHostKey permits HostKey, RsaHostKey, EcdsaHostKey {

    /** The key type in the blob ("ssh-ed25519", "ssh-rsa"). */
    String keyType();

    /** Signature algorithms this key can make, in the server's order of preference. */
    List<String> algorithms();

    /** The public key blob (K_S). */
    byte[] publicBlob();

    /** An SSH signature blob (string algorithm, string signature) over {@code data}. */
    byte[] sign(String algorithm, byte[] data);

    /** The OpenSSH form of the public key, as in a known_hosts line. */
    default String openSshPublic() {
        return keyType() + " " + java.util.Base64.getEncoder().encodeToString(publicBlob());
    }

    /** "SHA256:" and the unpadded base64 SHA-256 of the blob, as ssh-keygen -l prints. */
    default String fingerprint() {
        return HostKey.fingerprint(publicBlob());
    }
}
