package atoll.libos.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Content baked into the appliance image (site files, zones, default data): like Mirage's crunch.
 * Keys are relative '/'-separated paths such as {@code zones/example.com.zone}.
 */
public interface ReadOnlyStore {

    /**
     * The whole content stored under {@code key}.
     *
     * @throws NoSuchFileException if there is no such key
     */
    byte[] read(String key) throws IOException;

    /** Whether {@code key} exists. */
    boolean exists(String key);

    /** Keys that start with {@code prefix}, sorted. */
    List<String> list(String prefix) throws IOException;

    /** Where the content comes from, for log lines and error messages (e.g. a path or URI). */
    String describe(String key);
}
