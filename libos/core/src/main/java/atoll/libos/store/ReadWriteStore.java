package atoll.libos.store;

import java.io.IOException;

/**
 * State that must survive a restart (a DNS journal, an SSH host key, a VPN address pool).
 *
 * <p>Durability contract: when {@link #write} or {@link #append} returns, the data is on stable
 * storage (fsync'd); a crash afterwards never loses it. A {@link #write} replaces the whole value
 * atomically: a reader sees the old value or the new one, never a mix.
 */
public interface ReadWriteStore extends ReadOnlyStore {

    /** Atomically replaces the value under {@code key}, durably. */
    void write(String key, byte[] value) throws IOException;

    /** Appends to the value under {@code key} (creating it), durably. */
    void append(String key, byte[] data) throws IOException;

    /** Removes {@code key}; no error if absent. */
    void delete(String key) throws IOException;

    /** Flushes anything buffered; called by the runtime at shutdown. */
    void flush() throws IOException;
}
