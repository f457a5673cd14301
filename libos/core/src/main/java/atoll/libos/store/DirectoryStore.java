package atoll.libos.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link ReadWriteStore} over a directory: key {@code a/b} is the file {@code <root>/a/b}.
 *
 * <p>Durability, as {@link ReadWriteStore} promises: {@link #write} writes a temporary file in the
 * same directory, forces it to disk, renames it over the key with {@code ATOMIC_MOVE} (rename(2)
 * is atomic within a file system, so readers see the old or the new content, never a mix) and then
 * forces the directory, without which the rename itself may be lost in a crash (see fsync(2):
 * "an explicit fsync() on a file descriptor for the directory is also needed"). {@link #append}
 * writes with {@code O_APPEND} and forces the file. Directories created for a key are forced into
 * their parents as well. Nothing is buffered, so {@link #flush} has nothing to do.
 *
 * <p>Keys are checked by {@link StoreKeys#check}: a bad key throws
 * {@link IllegalArgumentException}. Temporary files (prefix {@code .atoll-tmp-}) left by a crash
 * are never listed. Thread-safe.
 */
public final class DirectoryStore implements ReadWriteStore {
    private final Path root;
    private final Object appendLock = new Object();

    private DirectoryStore(Path root) {
        this.root = root;
    }

    /**
     * A store over an existing directory.
     *
     * @throws NoSuchFileException if it does not exist
     * @throws NotDirectoryException if it is not a directory
     */
    public static DirectoryStore existing(Path root) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new NoSuchFileException(abs.toString());
        }
        if (!Files.isDirectory(abs)) {
            throw new NotDirectoryException(abs.toString());
        }
        return new DirectoryStore(abs);
    }

    /** A store over {@code root}, created (with its parents) if missing. */
    public static DirectoryStore open(Path root) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        createDirectories(abs);
        return existing(abs);
    }

    /** The directory (absolute). */
    public Path root() {
        return root;
    }

    private Path file(String key) {
        return root.resolve(StoreKeys.check(key));
    }

    @Override
    public byte[] read(String key) throws IOException {
        Path f = file(key);
        if (Files.isDirectory(f)) {
            throw new NoSuchFileException(f.toString(), null, "is a directory");
        }
        return Files.readAllBytes(f);
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(file(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        StoreKeys.checkPrefix(prefix);
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .forEach(p -> {
                        String key = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                        if (key.startsWith(prefix) && !isTemp(key)) {
                            out.add(key);
                        }
                    });
        }
        out.sort(null);
        return out;
    }

    private static boolean isTemp(String key) {
        for (String segment : key.split("/")) {
            if (segment.startsWith(StoreKeys.TEMP_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe(String key) {
        return root.resolve(key).toString();
    }

    @Override
    public void write(String key, byte[] value) throws IOException {
        Path target = file(key);
        Path dir = target.getParent();
        createDirectories(dir);
        Path tmp = Files.createTempFile(dir, StoreKeys.TEMP_PREFIX, "");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, value);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    @Override
    public void append(String key, byte[] data) throws IOException {
        Path target = file(key);
        Path dir = target.getParent();
        createDirectories(dir);
        synchronized (appendLock) {
            boolean created = !Files.exists(target);
            try (FileChannel ch = FileChannel.open(target,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                writeFully(ch, data);
                ch.force(true);
            }
            if (created) {
                forceDirectory(dir);
            }
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Path target = file(key);
        if (Files.deleteIfExists(target)) {
            forceDirectory(target.getParent());
        }
    }

    /** Nothing is buffered: every write and append is on disk when it returns. */
    @Override
    public void flush() {}

    @Override
    public String toString() {
        return "DirectoryStore[" + root + "]";
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Creates {@code dir} and missing parents, forcing each new entry into its parent. */
    private static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(dir)) {
                throw raced;
            }
            return;
        }
        if (parent != null) {
            forceDirectory(parent);
        }
    }

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

    /** fsync(2) on a directory, so that renames and new entries in it survive a crash. */
    private static void forceDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return; // directories cannot be opened as channels there; NTFS journals metadata itself
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
