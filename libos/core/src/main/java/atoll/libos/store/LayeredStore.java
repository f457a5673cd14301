package atoll.libos.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Read-only stores stacked: a key is read from the first layer that has it, so an operator's
 * directory in front of the image's embedded data overrides single files and falls back to the
 * rest. {@link #list} merges every layer. Thread-safe if the layers are.
 */
public final class LayeredStore implements ReadOnlyStore {
    private final List<ReadOnlyStore> layers;

    /** @param layers the stores, first (winning) layer first */
    public LayeredStore(List<? extends ReadOnlyStore> layers) {
        this.layers = List.copyOf(layers);
    }

    public static LayeredStore of(ReadOnlyStore... layers) {
        return new LayeredStore(List.of(layers));
    }

    /** The layers, first (winning) layer first. */
    public List<ReadOnlyStore> layers() {
        return layers;
    }

    @Override
    public byte[] read(String key) throws IOException {
        StoreKeys.check(key);
        for (ReadOnlyStore s : layers) {
            try {
                return s.read(key);
            } catch (NoSuchFileException absent) {
                // try the next layer
            }
        }
        throw new NoSuchFileException(key + " (in none of " + layers.size() + " layers)");
    }

    @Override
    public boolean exists(String key) {
        StoreKeys.check(key);
        for (ReadOnlyStore s : layers) {
            if (s.exists(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        TreeSet<String> all = new TreeSet<>();
        for (ReadOnlyStore s : layers) {
            all.addAll(s.list(prefix));
        }
        return new ArrayList<>(all);
    }

    @Override
    public String describe(String key) {
        for (ReadOnlyStore s : layers) {
            if (s.exists(key)) {
                return s.describe(key);
            }
        }
        return layers.isEmpty() ? key : layers.getFirst().describe(key);
    }
}
