package atoll.ssh;

import atoll.libos.entropy.Entropy;
import atoll.libos.store.ReadWriteStore;
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

    private HostKeyStore() {}

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
}
