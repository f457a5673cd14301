package atoll.conformance;

import java.util.Arrays;
import java.util.Optional;

/**
 * The target a suite runs the image on, as its JUnit tag: {@code @Tag("socket")} or
 * {@code @Tag("tap")} on every suite class ({@code ./atoll conformance --target tap} selects by it).
 */
public enum OnTarget {
    SOCKET("socket"),
    TAP("tap");

    private final String tag;

    OnTarget(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public static Optional<OnTarget> named(String tag) {
        return Arrays.stream(values()).filter(t -> t.tag.equals(tag)).findFirst();
    }
}
