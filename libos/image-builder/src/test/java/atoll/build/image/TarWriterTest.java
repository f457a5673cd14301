package atoll.build.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {

    static final long MTIME = 1_800_000_000L;
    static final String LONG_DIR = "d".repeat(120) + "/";
    static final String LONG_PREFIXED = LONG_DIR + "f".repeat(90); // 211 bytes: needs the ustar prefix field
    static final String VERY_LONG = "x".repeat(140) + "/" + "y".repeat(140); // 281 bytes: needs pax

    static byte[] sample() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(bytes, MTIME);
        tar.directory("top", 0755);
        tar.file("top/hello.txt", 0644, "hello\n".getBytes(StandardCharsets.US_ASCII));
        tar.file("top/run", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII));
        tar.symlink("top/link", "hello.txt");
        tar.directory(LONG_DIR, 0755);
        tar.file(LONG_PREFIXED, 0644, new byte[513]);
        tar.file(VERY_LONG, 0644, 3, o -> o.write(new byte[] {1, 2, 3}));
        tar.finish();
        return bytes.toByteArray();
    }

    record Header(String name, String prefix, int mode, long size, long mtime, char type, String link, int uid, int gid,
                  String uname, String gname, boolean checksumOk) {
        String path() { return prefix.isEmpty() ? name : prefix + "/" + name; }
    }

    static List<Header> parse(byte[] tar) {
        List<Header> headers = new ArrayList<>();
        int off = 0;
        while (off + 512 <= tar.length) {
            boolean zero = true;
            for (int i = 0; i < 512; i++) zero &= tar[off + i] == 0;
            if (zero) break;
            long sum = 0;
            for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : tar[off + i] & 0xff;
            Header h = new Header(str(tar, off, 100), str(tar, off + 345, 155), (int) oct(tar, off + 100, 8),
                    oct(tar, off + 124, 12), oct(tar, off + 136, 12), (char) tar[off + 156], str(tar, off + 157, 100),
                    (int) oct(tar, off + 108, 8), (int) oct(tar, off + 116, 8), str(tar, off + 265, 32), str(tar, off + 297, 32),
                    sum == oct(tar, off + 148, 8));
            headers.add(h);
            off += 512 + (int) ((h.size() + 511) / 512 * 512);
        }
        return headers;
    }

    static String str(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    static long oct(byte[] b, int off, int len) {
        String s = str(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    @Test
    void headersAreUstarWithFixedOwnerAndTime() throws IOException {
        byte[] tar = sample();
        assertEquals(0, tar.length % 512);
        List<Header> hs = parse(tar);
        // The 120-byte directory name has no '/' to split at: it takes a pax record too.
        assertEquals(List.of('5', '0', '0', '2', 'x', '5', '0', 'x', '0'), hs.stream().map(Header::type).toList());
        for (Header h : hs) {
            assertTrue(h.checksumOk(), h.path());
            assertEquals(MTIME, h.mtime(), h.path());
            assertEquals(0, h.uid());
            assertEquals(0, h.gid());
            assertEquals("", h.uname());
            assertEquals("", h.gname());
        }
        assertEquals("top/", hs.get(0).path());
        assertEquals(0755, hs.get(0).mode());
        assertEquals(0644, hs.get(1).mode());
        assertEquals(0755, hs.get(2).mode());
        assertEquals("hello.txt", hs.get(3).link());
        assertEquals(LONG_PREFIXED, hs.get(6).path());
        assertEquals(LONG_DIR.substring(0, LONG_DIR.length() - 1), hs.get(6).prefix());
    }

    @Test
    void veryLongPathGoesToPaxRecord() throws IOException {
        byte[] tar = sample();
        List<Header> hs = parse(tar);
        // The pax body follows its header: find it by scanning.
        String text = new String(tar, StandardCharsets.UTF_8);
        String record = TarWriter.paxRecord("path", VERY_LONG);
        assertTrue(text.contains(record));
        assertEquals(record.length(), Integer.parseInt(record.substring(0, record.indexOf(' '))));
        assertEquals(record.length(), hs.get(7).size());
    }

    @Test
    void paxRecordLengthCountsItsOwnDigits() {
        assertEquals("9 path=a\n", TarWriter.paxRecord("path", "a"));
        // " k=" + value + "\n" is 98 bytes: two length digits would give 100, which has three, so 101.
        assertEquals(101, TarWriter.paxRecord("k", "v".repeat(94)).length());
        assertTrue(TarWriter.paxRecord("k", "v".repeat(94)).startsWith("101 k="));
        // 97 bytes: two digits give 99, which fits.
        assertTrue(TarWriter.paxRecord("k", "v".repeat(93)).startsWith("99 k="));
    }

    @Test
    void splitUsesLastFittingSlash() {
        assertEquals(-1, TarWriter.split("a/b".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-2, TarWriter.split(("z".repeat(101)).getBytes(StandardCharsets.US_ASCII)));
        byte[] p = LONG_PREFIXED.getBytes(StandardCharsets.US_ASCII);
        assertEquals(120, TarWriter.split(p));
    }

    @Test
    void sameEntriesGiveSameBytes() throws IOException {
        assertArrayEquals(sample(), sample());
    }

    @Test
    void rejectsAbsolutePathsAndWritesAfterFinish() throws IOException {
        TarWriter tar = new TarWriter(new ByteArrayOutputStream(), 0);
        assertThrows(IllegalArgumentException.class, () -> tar.file("/etc/passwd", 0644, new byte[0]));
        tar.finish();
        assertThrows(IllegalStateException.class, () -> tar.file("a", 0644, new byte[0]));
        assertThrows(IOException.class, () -> new TarWriter(new ByteArrayOutputStream(), 0).file("a", 0644, 5, o -> o.write(1)));
    }

    @Test
    void gnuTarReadsItBack(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")), "tar not installed");
        Path archive = dir.resolve("a.tar");
        Files.write(archive, sample());
        Path out = Files.createDirectory(dir.resolve("out"));
        Process x = new ProcessBuilder("tar", "-xf", archive.toString(), "-C", out.toString()).redirectErrorStream(true).start();
        String xlog = new String(x.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, x.waitFor(), xlog);
        assertEquals("hello\n", Files.readString(out.resolve("top/hello.txt")));
        assertTrue(Files.isExecutable(out.resolve("top/run")));
        assertEquals(Path.of("hello.txt"), Files.readSymbolicLink(out.resolve("top/link")));
        assertEquals(513, Files.size(out.resolve(LONG_PREFIXED)));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out.resolve(VERY_LONG)));
        assertEquals(MTIME, Files.getLastModifiedTime(out.resolve("top/hello.txt")).toMillis() / 1000);

        Process t = new ProcessBuilder("tar", "--numeric-owner", "-tvf", archive.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, t.waitFor(), String.join("\n", lines));
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("drwxr-xr-x 0/0"), lines.get(0));
        assertTrue(lines.get(1).startsWith("-rw-r--r-- 0/0"), lines.get(1));
        assertTrue(lines.get(2).startsWith("-rwxr-xr-x 0/0"), lines.get(2));
        assertTrue(lines.get(3).startsWith("lrwxrwxrwx 0/0") && lines.get(3).endsWith("top/link -> hello.txt"), lines.get(3));
        assertTrue(lines.get(6).endsWith(VERY_LONG), lines.get(6));
    }
}
