package atoll.ssh.transport;

import atoll.libos.entropy.Entropy;
import java.security.SecureRandom;

/** The injected entropy device seen as the SecureRandom Bouncy Castle's key generators take. */
final class EntropyRandom extends SecureRandom {
    private final transient Entropy entropy;

    EntropyRandom(Entropy entropy) {
        super(new byte[0]);
        this.entropy = entropy;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        entropy.nextBytes(bytes);
    }

    @Override
    public byte[] generateSeed(int n) {
        byte[] b = new byte[n];
        entropy.nextBytes(b);
        return b;
    }
}
