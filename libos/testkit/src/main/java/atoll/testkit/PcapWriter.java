package atoll.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames to a capture file in the classic libpcap format, which tcpdump and Wireshark
 * read: a 24-byte file header, then per frame a 16-byte record header and the frame's bytes.
 * Written little-endian; readers tell the byte order and the time-stamp resolution from the magic
 * number.
 *
 * <pre>
 *  File header                      Record header
 *  +------------------------+      +------------------------+
 *  | magic            (4)   |      | ts seconds       (4)   |
 *  | version 2 (2) 4 (2)    |      | ts µs or ns      (4)   |
 *  | thiszone         (4)   |      | captured length  (4)   |
 *  | sigfigs          (4)   |      | original length  (4)   |
 *  | snaplen          (4)   |      +------------------------+
 *  | link type        (4)   |      | captured bytes ...     |
 *  +------------------------+      +------------------------+
 * </pre>
 *
 * (The format as documented by the tcpdump group's pcap-savefile(5) and
 * draft-ietf-opsawg-pcap.) Not thread-safe.
 */
public final class PcapWriter implements AutoCloseable {
    /** Time-stamp resolution of a capture file, chosen by its magic number. */
    public enum Resolution {
        /** Magic 0xA1B2C3D4: the record's second field counts microseconds. */
        MICROSECONDS(0xA1B2C3D4, 1_000),
        /** Magic 0xA1B23C4D: the record's second field counts nanoseconds. */
        NANOSECONDS(0xA1B23C4D, 1);

        final int magic;
        final long nanosPerUnit;

        Resolution(int magic, long nanosPerUnit) {
            this.magic = magic;
            this.nanosPerUnit = nanosPerUnit;
        }
    }

    /** LINKTYPE_ETHERNET: IEEE 802.3 / Ethernet II frames without preamble or FCS (tcpdump.org link types). */
    public static final int LINKTYPE_ETHERNET = 1;
    /** The largest frame recorded whole; longer ones are cut (tcpdump's default snapshot length). */
    public static final int SNAPLEN = 262_144;
    private static final short VERSION_MAJOR = 2;
    private static final short VERSION_MINOR = 4;
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final OutputStream out;
    private final Resolution resolution;
    private final ByteBuffer header = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] scratch = new byte[2048];
    private long records;

    /** Creates (or truncates) {@code file} and writes the file header. */
    public static PcapWriter create(Path file, Resolution resolution) throws IOException {
        return new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)), resolution);
    }

    /** Writes to {@code out} (closed by {@link #close()}), starting with the file header. */
    public PcapWriter(OutputStream out, Resolution resolution) throws IOException {
        this.out = out;
        this.resolution = resolution;
        header.clear();
        header.putInt(resolution.magic).putShort(VERSION_MAJOR).putShort(VERSION_MINOR)
                .putInt(0) // thiszone: time stamps are UTC
                .putInt(0) // sigfigs: 0 by convention
                .putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
        out.write(header.array(), 0, FILE_HEADER);
    }

    /**
     * Appends one frame seen at {@code timestampNanos} (nanoseconds since the Unix epoch; a fake
     * clock's wall time gives one).
     */
    public void write(long timestampNanos, MemorySegment frame) {
        if (timestampNanos < 0) {
            throw new IllegalArgumentException("time stamp before 1970: " + timestampNanos);
        }
        long length = frame.byteSize();
        int captured = (int) Math.min(length, SNAPLEN);
        if (scratch.length < captured) {
            scratch = new byte[Math.max(captured, scratch.length * 2)];
        }
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, 0, scratch, 0, captured);
        long seconds = timestampNanos / NANOS_PER_SECOND;
        long fraction = (timestampNanos % NANOS_PER_SECOND) / resolution.nanosPerUnit;
        header.clear();
        header.putInt((int) seconds).putInt((int) fraction).putInt(captured).putInt((int) Math.min(length, Integer.MAX_VALUE));
        try {
            out.write(header.array(), 0, RECORD_HEADER);
            out.write(scratch, 0, captured);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a capture record", e);
        }
        records++;
    }

    /** Frames written so far. */
    public long records() {
        return records;
    }

    /** Flushes buffered records (the file is readable up to here). */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
