package atoll.dns;

/** Placeholder: the appliance wiring lands here. */
public final class Main {
    public static void main(String[] args) {
        throw new UnsupportedOperationException("TODO");
    }
}
