package atoll.libos.entropy;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** The standard {@link Entropy} sources. */
public final class Entropies {
    private Entropies() {}

    /**
     * Cryptographically secure randomness for production: the JDK's DRBG (NIST SP 800-90Ar1),
     * 256-bit strength with prediction resistance off and reseeding as the provider decides, seeded
     * from the operating system. Falls back to the platform's default {@link SecureRandom} if DRBG
     * is not available. Thread-safe.
     */
    public static Entropy secure() {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            random = new SecureRandom();
        }
        return new SecureEntropy(random);
    }

    /**
     * Deterministic randomness from {@code seed}: the same seed gives the same sequence on every
     * run and JDK (the L64X128MixRandom algorithm is specified exactly). <strong>Not secure</strong>:
     * for tests and simulations only, never for keys, nonces or DNS query IDs in production.
     * Thread-safe (calls are serialised).
     */
    public static Entropy seeded(long seed) {
        return new SeededEntropy(RandomGeneratorFactory.of("L64X128MixRandom").create(seed));
    }

    private record SecureEntropy(SecureRandom random) implements Entropy {
        @Override
        public void nextBytes(byte[] bytes) {
            random.nextBytes(bytes);
        }

        @Override
        public int nextInt(int bound) {
            return random.nextInt(bound);
        }

        @Override
        public long nextLong() {
            return random.nextLong();
        }

        @Override
        public String toString() {
            return "secure entropy (" + random.getAlgorithm() + ")";
        }
    }

    private static final class SeededEntropy implements Entropy {
        private final RandomGenerator random;

        SeededEntropy(RandomGenerator random) {
            this.random = random;
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            int i = 0;
            while (i < bytes.length) {
                long r = random.nextLong();
                for (int n = Math.min(8, bytes.length - i); n > 0; n--) {
                    bytes[i++] = (byte) r;
                    r >>>= 8;
                }
            }
        }

        @Override
        public synchronized int nextInt(int bound) {
            return random.nextInt(bound);
        }

        @Override
        public synchronized long nextLong() {
            return random.nextLong();
        }

        @Override
        public String toString() {
            return "seeded entropy (NOT secure)";
        }
    }
}
