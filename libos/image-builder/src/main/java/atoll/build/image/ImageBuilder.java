package atoll.build.image;

/** Placeholder: replaced by the image build work. */
public final class ImageBuilder {
    public static void main(String[] args) {
        throw new UnsupportedOperationException("TODO");
    }
}
