package atoll.build.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal, deterministic POSIX ustar writer (POSIX.1-2001 "pax interchange format" where a name
 * does not fit ustar). Every header field is fixed by the caller: no clock, no user database, no
 * host dependency, so the same entries give the same bytes.
 *
 * <p>The caller owns {@code out}; {@link #finish()} writes the end-of-archive marker but does not
 * close it.
 */
public final class TarWriter {

    /** POSIX.1 ustar: the archive is a sequence of 512-byte blocks. */
    static final int BLOCK = 512;
    /** ustar {@code name} field width. */
    static final int NAME_LEN = 100;
    /** ustar {@code prefix} field width. */
    static final int PREFIX_LEN = 155;
    /** ustar {@code size} field: 11 octal digits, so at most 8 GiB - 1. */
    static final long MAX_SIZE = 077777777777L;

    /** ustar typeflags (POSIX.1 tar.h: REGTYPE, SYMTYPE, DIRTYPE; 'x' is the pax extended header). */
    static final byte REGTYPE = '0', SYMTYPE = '2', DIRTYPE = '5', PAX_XHDTYPE = 'x';

    private final OutputStream out;
    private final long mtime;
    private boolean finished;

    /**
     * @param out   the stream the archive is written to; not closed by this writer
     * @param mtime seconds since the epoch put in every header
     */
    public TarWriter(OutputStream out, long mtime) {
        if (mtime < 0 || mtime > MAX_SIZE) throw new IllegalArgumentException("mtime out of ustar range: " + mtime);
        this.out = out;
        this.mtime = mtime;
    }

    /** Adds a directory; {@code path} is relative, '/'-separated; a trailing '/' is added. */
    public void directory(String path, int mode) throws IOException {
        directory(path, mode, 0, 0);
    }

    /** Adds a directory owned by {@code uid:gid} (numeric only; no names are written). */
    public void directory(String path, int mode, int uid, int gid) throws IOException {
        String name = path.endsWith("/") ? path : path + "/";
        header(name, mode, 0, DIRTYPE, "", uid, gid);
    }

    /** Adds a regular file with the given content. */
    public void file(String path, int mode, byte[] content) throws IOException {
        header(path, mode, content.length, REGTYPE, "", 0, 0);
        out.write(content);
        pad(content.length);
    }

    /** Adds a regular file whose {@code size} bytes the caller then streams with {@code body}. */
    public void file(String path, int mode, long size, Body body) throws IOException {
        if (size > MAX_SIZE) throw new IOException(path + ": " + size + " bytes is beyond ustar's 8 GiB limit");
        header(path, mode, size, REGTYPE, "", 0, 0);
        long[] written = {0};
        body.writeTo(new OutputStream() {
            @Override public void write(int b) throws IOException { out.write(b); written[0]++; }
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); written[0] += len; }
        });
        if (written[0] != size) throw new IOException(path + ": declared " + size + " bytes, wrote " + written[0]);
        pad(size);
    }

    /** Adds a symbolic link to {@code target} (relative to the link's directory). */
    public void symlink(String path, String target) throws IOException {
        header(path, 0777, 0, SYMTYPE, target, 0, 0);
    }

    /** Writes the end-of-archive marker: two zero blocks (POSIX.1 ustar). */
    public void finish() throws IOException {
        if (finished) return;
        finished = true;
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    /** Streams a file body. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private void header(String path, int mode, long size, byte type, String link, int uid, int gid) throws IOException {
        if (finished) throw new IllegalStateException("archive already finished");
        if (path.isEmpty() || path.startsWith("/") || path.contains("\0")) throw new IllegalArgumentException("bad tar path: " + path);
        byte[] pathBytes = path.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        int split = split(pathBytes);
        boolean longLink = linkBytes.length > NAME_LEN;
        if (split < -1 || longLink) {
            // POSIX.1-2001 pax: an 'x' header before the entry carries what ustar cannot hold.
            StringBuilder records = new StringBuilder();
            if (split < -1) records.append(paxRecord("path", path));
            if (longLink) records.append(paxRecord("linkpath", link));
            byte[] body = records.toString().getBytes(StandardCharsets.UTF_8);
            // The pax header's own name is informational; a fixed one keeps the bytes stable.
            writeHeader(ascii("././@PaxHeader"), new byte[0], 0644, body.length, PAX_XHDTYPE, new byte[0], 0, 0);
            out.write(body);
            pad(body.length);
        }
        byte[] name, prefix;
        if (split == -1) {
            name = pathBytes;
            prefix = new byte[0];
        } else if (split >= 0) {
            prefix = Arrays.copyOfRange(pathBytes, 0, split);
            name = Arrays.copyOfRange(pathBytes, split + 1, pathBytes.length);
        } else {
            // Truncated ustar fallback for readers without pax; the 'x' record is authoritative.
            name = Arrays.copyOfRange(pathBytes, pathBytes.length - NAME_LEN, pathBytes.length);
            prefix = new byte[0];
        }
        writeHeader(name, prefix, mode, size, type, longLink ? Arrays.copyOf(linkBytes, NAME_LEN) : linkBytes, uid, gid);
    }

    /**
     * Where to split a path into ustar prefix and name: -1 if the whole path fits {@code name}; the
     * index of the '/' to split at; or -2 if no split fits (needs pax).
     */
    static int split(byte[] path) {
        if (path.length <= NAME_LEN) return -1;
        // POSIX.1 ustar: the name is prefix + "/" + name; prefix at most 155 bytes, name at most 100.
        for (int i = Math.min(path.length - 1, PREFIX_LEN); i > 0; i--) {
            if (path[i] == '/' && path.length - i - 1 <= NAME_LEN && path.length - i - 1 > 0) return i;
        }
        return -2;
    }

    /** POSIX.1-2001 pax record: "%d %s=%s\n", the length counting itself. */
    static String paxRecord(String key, String value) {
        int payload = 1 + key.getBytes(StandardCharsets.UTF_8).length + 1 + value.getBytes(StandardCharsets.UTF_8).length + 1;
        int len = payload + 1;
        while (len != payload + Integer.toString(len).length()) len = payload + Integer.toString(len).length();
        return len + " " + key + "=" + value + "\n";
    }

    private void writeHeader(byte[] name, byte[] prefix, int mode, long size, byte type, byte[] link, int uid, int gid)
            throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, NAME_LEN, name);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        Arrays.fill(h, 148, 156, (byte) ' '); // checksum computed with its own field as spaces
        h[156] = type;
        put(h, 157, NAME_LEN, link);
        put(h, 257, 6, ascii("ustar\0")); // magic
        put(h, 263, 2, ascii("00")); // version
        // uname/gname (265, 297) stay empty: no host user names leak into the archive.
        octal(h, 329, 8, 0); // devmajor
        octal(h, 337, 8, 0); // devminor
        put(h, 345, PREFIX_LEN, prefix);
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        // Checksum: six octal digits, NUL, space (the form GNU and BSD tar write).
        byte[] digits = ascii(String.format("%06o", sum));
        System.arraycopy(digits, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    private static void put(byte[] h, int off, int len, byte[] value) {
        if (value.length > len) throw new IllegalArgumentException("field overflow: " + new String(value, StandardCharsets.UTF_8));
        System.arraycopy(value, 0, h, off, value.length);
    }

    /** Numeric fields: zero-padded octal digits followed by a NUL (POSIX.1 ustar). */
    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1) throw new IllegalArgumentException("value " + value + " does not fit " + len + " bytes");
        put(h, off, len, ascii("0".repeat(len - 1 - s.length()) + s));
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % BLOCK);
        if (rem != 0) out.write(new byte[BLOCK - rem]);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
