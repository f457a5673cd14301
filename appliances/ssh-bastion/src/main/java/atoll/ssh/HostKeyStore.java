package atoll.ssh;

import atoll.libos.entropy.Entropy;
import atoll.libos.store.ReadWriteStore;
import atoll.ssh.transport.EcdsaHostKey;
import atoll.ssh.transport.HostKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The host key in the read-write store: generated on the first start, read on every later one.
 * Stored as one line, {@code ssh-ed25519-seed <base64 of the 32-octet RFC 8032 private key>}.
 */
final class HostKeyStore {
    static final String KEY = "ssh_host_ed25519_key";
    private static final String PREFIX = "ssh-ed25519-seed ";

    static final String RSA_KEY = "ssh_host_rsa_key";
    private static final String RSA_PREFIX = "rsa-pkcs8 ";

    private HostKeyStore() {}

    /**
     * The stored RSA host key, or a new 3072-bit one written to the store; stored as one line,
     * {@code rsa-pkcs8 <base64 of the PKCS#8 private key>}.
     */
    static atoll.ssh.transport.RsaHostKey loadOrCreateRsa(ReadWriteStore state, Entropy entropy,
            java.util.List<String> algorithms, boolean[] created) throws IOException {
        byte[] pkcs8;
        if (state.exists(RSA_KEY)) {
            String text = new String(state.read(RSA_KEY), StandardCharsets.US_ASCII).strip();
            if (!text.startsWith(RSA_PREFIX)) {
                throw new IOException("state " + RSA_KEY + " is not an rsa-pkcs8 line");
            }
            try {
                pkcs8 = Base64.getDecoder().decode(text.substring(RSA_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IOException("state " + RSA_KEY + " is not base64");
            }
        } else {
            try {
                pkcs8 = atoll.ssh.transport.RsaHostKey.generate(entropy);
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot generate an RSA key: " + e.getMessage(), e);
            }
            state.write(RSA_KEY, (RSA_PREFIX + Base64.getEncoder().encodeToString(pkcs8) + "\n").getBytes(StandardCharsets.US_ASCII));
            created[0] = true;
        }
        try {
            return new atoll.ssh.transport.RsaHostKey(pkcs8, algorithms);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("state " + RSA_KEY + ": " + e.getMessage(), e);
        }
    }

    /** The stored host key, or a new one written to the store; {@code created[0]} says which. */
    static HostKey loadOrCreate(ReadWriteStore state, Entropy entropy, boolean[] created) throws IOException {
        if (state.exists(KEY)) {
            String text = new String(state.read(KEY), StandardCharsets.US_ASCII).strip();
            if (!text.startsWith(PREFIX)) {
                throw new IOException("state " + KEY + " is not an ssh-ed25519 seed line");
            }
            byte[] seed;
            try {
                seed = Base64.getDecoder().decode(text.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IOException("state " + KEY + " is not base64");
            }
            if (seed.length != 32) {
                throw new IOException("state " + KEY + " holds " + seed.length + " octets, not 32");
            }
            return new HostKey(seed);
        }
        byte[] seed = new byte[32];
        entropy.nextBytes(seed);
        state.write(KEY, (PREFIX + Base64.getEncoder().encodeToString(seed) + "\n").getBytes(StandardCharsets.US_ASCII));
        created[0] = true;
        return new HostKey(seed);
    }

    static final String ECDSA_KEY = "ssh_host_ecdsa_key";
    private static final String ECDSA_PREFIX = "ecdsa-nistp256-scalar ";

    /**
     * The stored ecdsa-sha2-nistp256 host key, or a new one written to the store; stored as one
     * line, {@code ecdsa-nistp256-scalar <base64 of the 32-octet private scalar>}.
     */
    static EcdsaHostKey loadOrCreateEcdsa(ReadWriteStore state, Entropy entropy, boolean[] created) throws IOException {
        if (state.exists(ECDSA_KEY)) {
            String text = new String(state.read(ECDSA_KEY), StandardCharsets.US_ASCII).strip();
            if (!text.startsWith(ECDSA_PREFIX)) {
                throw new IOException("state " + ECDSA_KEY + " is not an ecdsa-nistp256-scalar line");
            }
            byte[] scalar;
            try {
                scalar = Base64.getDecoder().decode(text.substring(ECDSA_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IOException("state " + ECDSA_KEY + " is not base64");
            }
            if (scalar.length != EcdsaHostKey.SCALAR_LENGTH) {
                throw new IOException("state " + ECDSA_KEY + " holds " + scalar.length + " octets, not 32");
            }
            try {
                return new EcdsaHostKey(scalar);
            } catch (IllegalArgumentException e) {
                throw new IOException("state " + ECDSA_KEY + ": " + e.getMessage());
            }
        }
        byte[] scalar = EcdsaHostKey.generate(entropy);
        state.write(ECDSA_KEY, (ECDSA_PREFIX + Base64.getEncoder().encodeToString(scalar) + "\n").getBytes(StandardCharsets.US_ASCII));
        created[0] = true;
        return new EcdsaHostKey(scalar);
    }
}
