package atoll.tls;

import atoll.libos.entropy.Entropy;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * The appliance's injected {@link Entropy} seen as a {@link SecureRandom}, which is what Bouncy
 * Castle and the JCA take: tests hand in a seeded entropy and get reproducible keys and nonces.
 */
final class EntropyRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    EntropyRandom(Entropy entropy) {
        super(new Spi(entropy), null);
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient Entropy entropy;

        Spi(Entropy entropy) {
            this.entropy = entropy;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // The entropy source seeds itself; extra seed material is not mixed in.
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            entropy.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] seed = new byte[numBytes];
            entropy.nextBytes(seed);
            return seed;
        }
    }
}
