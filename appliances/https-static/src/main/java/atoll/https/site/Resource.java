package atoll.https.site;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One file of the site, in memory, with its precompressed variants.
 *
 * @param key its store key
 * @param body the identity representation
 * @param contentType media type (by extension)
 * @param etag strong entity tag of the identity representation (RFC 9110 §8.8.3), quoted
 * @param lastModified when it last changed (second precision, RFC 9110 §8.8.2)
 * @param variants content-coded representations by coding name ({@code br}, {@code gzip})
 */
public record Resource(String key, byte[] body, String contentType, String etag, Instant lastModified,
        Map<String, Variant> variants) {
    public Resource {
        variants = Map.copyOf(variants);
    }

    /**
     * A content-coded representation: its own bytes and its own entity tag (RFC 9110 §8.8.3: a
     * different representation needs a different tag).
     */
    public record Variant(String coding, byte[] body, String etag) {}

    public Optional<Variant> variant(String coding) {
        return Optional.ofNullable(variants.get(coding));
    }
}
