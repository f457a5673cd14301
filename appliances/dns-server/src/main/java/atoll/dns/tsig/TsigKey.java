package atoll.dns.tsig;

import atoll.dns.wire.Name;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A shared TSIG secret (RFC 8945 §3): the key's name, its algorithm and its octets. The secret is
 * never printed ({@link #toString()} shows name and algorithm only).
 */
public record TsigKey(Name name, TsigAlgorithm algorithm, byte[] secret) {
    public TsigKey {
        Objects.requireNonNull(name);
        Objects.requireNonNull(algorithm);
        if (secret.length == 0) {
            throw new IllegalArgumentException("empty secret");
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    byte[] secretView() {
        return secret;
    }

    /**
     * Parses {@code algorithm:name:base64-secret}, the form of kdig's and dig's {@code -y} option.
     *
     * @throws IllegalArgumentException with a message that names the key (when it got that far)
     *     and never the secret
     */
    public static TsigKey parse(String text) {
        String[] parts = text.strip().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected algorithm:name:base64-secret");
        }
        Name name;
        try {
            name = Name.parse(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad key name: " + e.getMessage());
        }
        TsigAlgorithm algorithm = TsigAlgorithm.byShortName(parts[0]);
        if (algorithm == null) {
            throw new IllegalArgumentException("key '" + name + "': unknown algorithm '" + parts[0]
                    + "' (hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384 or hmac-sha512)");
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(parts[2].strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key '" + name + "': the secret is not base64");
        }
        if (secret.length == 0) {
            throw new IllegalArgumentException("key '" + name + "': empty secret");
        }
        return new TsigKey(name, algorithm, secret);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsigKey k && k.name.equals(name) && k.algorithm == algorithm
                && Arrays.equals(k.secret, secret);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + algorithm.hashCode();
    }

    @Override
    public String toString() {
        return "TsigKey[" + name + ", " + algorithm.shortName() + "]";
    }
}
