package atoll.libos.entropy;

/**
 * Randomness as an appliance sees it: a cryptographically secure source in production, a seeded
 * deterministic one in tests and simulations. Thread-safe.
 */
public interface Entropy {

    /** Fills {@code bytes} with random bytes. */
    void nextBytes(byte[] bytes);

    /** A random int in {@code [0, bound)}. */
    int nextInt(int bound);

    /** A random long. */
    long nextLong();
}
