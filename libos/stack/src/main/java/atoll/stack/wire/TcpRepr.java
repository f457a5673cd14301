package atoll.stack.wire;

import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A TCP header with its options as an immutable value (the payload is not part of it), for tests
 * and slow paths; the fast path reads a {@link TcpHeader} view.
 *
 * <p>{@link #emit} lays options out on 32-bit boundaries with NOP padding, in this order: MSS,
 * SACK-permitted and timestamps (sharing one 12-byte slot when both are present), window scale,
 * SACK blocks. Reserved bits are sent as zero (RFC 9293 §3.1: "Reserved: A set of control bits
 * reserved for future use. Must be zero in generated segments and must be ignored in received
 * segments.").
 *
 * @param flags the control bits, {@link TcpHeader#FIN} ... {@link TcpHeader#CWR}
 * @param window SEG.WND as sent (unscaled), 0 to 65535
 * @param windowShift the window scale option's shift, 0 to 14
 */
public record TcpRepr(
        int srcPort,
        int dstPort,
        SeqNumber seq,
        SeqNumber ack,
        int flags,
        int window,
        int urgentPointer,
        OptionalInt mss,
        OptionalInt windowShift,
        boolean sackPermitted,
        List<SackBlock> sackBlocks,
        Optional<TcpTimestamps> timestamps) {

    public TcpRepr {
        checkU16(srcPort, "source port");
        checkU16(dstPort, "destination port");
        Objects.requireNonNull(seq, "seq");
        Objects.requireNonNull(ack, "ack");
        if ((flags & ~0xff) != 0) {
            throw new IllegalArgumentException("flags beyond the 8 control bits: " + flags);
        }
        checkU16(window, "window");
        checkU16(urgentPointer, "urgent pointer");
        mss.ifPresent(m -> checkU16(m, "MSS"));
        windowShift.ifPresent(s -> {
            if (s < 0 || s > TcpHeader.MAX_WINDOW_SHIFT) {
                throw new IllegalArgumentException("window shift " + s + " not in 0..14 (RFC 7323 §2.3)");
            }
        });
        sackBlocks = List.copyOf(sackBlocks);
        Objects.requireNonNull(timestamps, "timestamps");
        if (optionsLength(mss, windowShift, sackPermitted, sackBlocks.size(), timestamps.isPresent())
                > TcpHeader.MAX_LENGTH - TcpHeader.MIN_LENGTH) {
            throw new IllegalArgumentException("options exceed 40 bytes");
        }
    }

    /** A segment without options. */
    public static TcpRepr of(int srcPort, int dstPort, int seq, int ack, int flags, int window) {
        return new TcpRepr(srcPort, dstPort, new SeqNumber(seq), new SeqNumber(ack), flags, window, 0,
                OptionalInt.empty(), OptionalInt.empty(), false, List.of(), Optional.empty());
    }

    public TcpRepr withMss(int value) {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, urgentPointer, OptionalInt.of(value),
                windowShift, sackPermitted, sackBlocks, timestamps);
    }

    public TcpRepr withWindowShift(int shift) {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, urgentPointer, mss, OptionalInt.of(shift),
                sackPermitted, sackBlocks, timestamps);
    }

    public TcpRepr withSackPermitted() {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, urgentPointer, mss, windowShift, true,
                sackBlocks, timestamps);
    }

    public TcpRepr withSackBlocks(List<SackBlock> blocks) {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, urgentPointer, mss, windowShift,
                sackPermitted, blocks, timestamps);
    }

    public TcpRepr withTimestamps(int tsVal, int tsEcr) {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, urgentPointer, mss, windowShift,
                sackPermitted, sackBlocks, Optional.of(new TcpTimestamps(tsVal, tsEcr)));
    }

    public TcpRepr withUrgentPointer(int pointer) {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, pointer, mss, windowShift,
                sackPermitted, sackBlocks, timestamps);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The header's length in bytes, options and padding included. */
    public int headerLength() {
        return TcpHeader.MIN_LENGTH
                + optionsLength(mss, windowShift, sackPermitted, sackBlocks.size(), timestamps.isPresent());
    }

    private static int optionsLength(OptionalInt mss, OptionalInt shift, boolean sackOk, int blocks, boolean ts) {
        int n = mss.isPresent() ? 4 : 0;
        n += (sackOk || ts) ? (ts ? 12 : 4) : 0;
        n += shift.isPresent() ? 4 : 0;
        n += blocks > 0 ? 4 + 8 * blocks : 0;
        return n;
    }

    /**
     * Parses and checks a segment (see {@link TcpHeader#check}).
     *
     * @throws MalformedPacketException with the view's verdict
     */
    public static TcpRepr parse(MemorySegment segment, long offset, int length, int source, int destination)
            throws MalformedPacketException {
        TcpHeader h = new TcpHeader();
        MalformedPacketException.require(h.check(segment, offset, length, source, destination), "TCP");
        return of(h);
    }

    /** The record of a checked view. */
    public static TcpRepr of(TcpHeader h) {
        List<SackBlock> blocks = new ArrayList<>(h.sackBlockCount());
        for (int i = 0; i < h.sackBlockCount(); i++) {
            blocks.add(SackBlock.of(h.sackLeft(i), h.sackRight(i)));
        }
        return new TcpRepr(h.srcPort(), h.dstPort(), new SeqNumber(h.seq()), new SeqNumber(h.ack()), h.flags(),
                h.window(), h.urgentPointer(),
                h.mss() < 0 ? OptionalInt.empty() : OptionalInt.of(h.mss()),
                h.windowShift() < 0 ? OptionalInt.empty() : OptionalInt.of(h.windowShift()),
                h.sackPermitted(), blocks,
                h.hasTimestamps() ? Optional.of(new TcpTimestamps(h.tsVal(), h.tsEcr())) : Optional.empty());
    }

    /**
     * Writes this header at {@code offset}, followed in memory by {@code payloadLength} payload
     * bytes already in place, and fills in the checksum over pseudo-header, header and payload.
     */
    public void emit(MemorySegment s, long offset, int payloadLength, int source, int destination) {
        int hl = headerLength();
        BigEndian.putU16(s, offset + TcpHeader.SRC_PORT, srcPort);
        BigEndian.putU16(s, offset + TcpHeader.DST_PORT, dstPort);
        BigEndian.putI32(s, offset + TcpHeader.SEQ, seq.value());
        BigEndian.putI32(s, offset + TcpHeader.ACK, ack.value());
        BigEndian.putU8(s, offset + TcpHeader.DATA_OFFSET, (hl / 4) << 4);
        BigEndian.putU8(s, offset + TcpHeader.FLAGS, flags);
        BigEndian.putU16(s, offset + TcpHeader.WINDOW, window);
        BigEndian.putU16(s, offset + TcpHeader.CHECKSUM, 0);
        BigEndian.putU16(s, offset + TcpHeader.URGENT, urgentPointer);
        long at = offset + TcpHeader.OPTIONS;
        if (mss.isPresent()) {
            BigEndian.putU8(s, at, TcpHeader.OPT_MSS);
            BigEndian.putU8(s, at + 1, 4);
            BigEndian.putU16(s, at + 2, mss.getAsInt());
            at += 4;
        }
        if (timestamps.isPresent()) {
            if (sackPermitted) {
                BigEndian.putU8(s, at, TcpHeader.OPT_SACK_PERMITTED);
                BigEndian.putU8(s, at + 1, 2);
            } else {
                BigEndian.putU8(s, at, TcpHeader.OPT_NOP);
                BigEndian.putU8(s, at + 1, TcpHeader.OPT_NOP);
            }
            BigEndian.putU8(s, at + 2, TcpHeader.OPT_TIMESTAMPS);
            BigEndian.putU8(s, at + 3, 10);
            BigEndian.putI32(s, at + 4, timestamps.get().tsVal());
            BigEndian.putI32(s, at + 8, timestamps.get().tsEcr());
            at += 12;
        } else if (sackPermitted) {
            BigEndian.putU8(s, at, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 1, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 2, TcpHeader.OPT_SACK_PERMITTED);
            BigEndian.putU8(s, at + 3, 2);
            at += 4;
        }
        if (windowShift.isPresent()) {
            BigEndian.putU8(s, at, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 1, TcpHeader.OPT_WINDOW_SCALE);
            BigEndian.putU8(s, at + 2, 3);
            BigEndian.putU8(s, at + 3, windowShift.getAsInt());
            at += 4;
        }
        if (!sackBlocks.isEmpty()) {
            BigEndian.putU8(s, at, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 1, TcpHeader.OPT_NOP);
            BigEndian.putU8(s, at + 2, TcpHeader.OPT_SACK);
            BigEndian.putU8(s, at + 3, 2 + 8 * sackBlocks.size());
            at += 4;
            for (SackBlock b : sackBlocks) {
                BigEndian.putI32(s, at, b.left().value());
                BigEndian.putI32(s, at + 4, b.right().value());
                at += 8;
            }
        }
        int total = hl + payloadLength;
        long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.TCP, total);
        BigEndian.putU16(s, offset + TcpHeader.CHECKSUM, InternetChecksum.finish(InternetChecksum.add(sum, s, offset, total)));
    }

    /**
     * Prepends this header to the window of {@code buffer}, which holds the payload, and computes
     * the checksum; the header is recorded as the buffer's {@link HeaderLayer#TRANSPORT} header. The
     * window then starts at it.
     */
    public void prependTo(PooledBuffer buffer, int source, int destination) {
        int payload = buffer.length();
        buffer.pushHeader(HeaderLayer.TRANSPORT, headerLength());
        emit(buffer.memory(), buffer.start(), payload, source, destination);
    }

    /** A heap copy of this header followed by {@code payload}, checksummed (tests, slow paths). */
    public byte[] toBytes(byte[] payload, int source, int destination) {
        MemorySegment s = MemorySegment.ofArray(new byte[headerLength() + payload.length]);
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, s, headerLength(), payload.length);
        emit(s, 0, payload.length, source, destination);
        return s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private static void checkU16(int v, String what) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(what + " " + v + " not in 0..65535");
        }
    }
}
