package atoll.stack.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.buffer.BufferPool;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TcpHeaderTest {
    static final int LOOPBACK = 0x7f00_0001;

    /**
     * A SYN the Linux kernel sent to a closed port on 127.0.0.1 (tcpdump -xx on lo): MSS 65495,
     * SACK-permitted, timestamps, NOP, window scale 10. On loopback the kernel leaves a partial
     * (offload) checksum in the field, fe30; the full checksum, computed separately, is 73df.
     */
    static final String LINUX_SYN = "e2c8 bac3 c1e4 bc63 0000 0000 a002 ffd7 73df 0000"
            + " 0204 ffd7 0402 080a 2955 96f5 0000 0000 0103 030a";
    /** The kernel's RST,ACK answer to it (complete checksum 95f8). */
    static final String LINUX_RST = "bac3 e2c8 0000 0000 c1e4 bc64 5014 0000 95f8 0000";

    @Test
    void linuxSynParses() throws MalformedPacketException {
        byte[] b = Hex.bytes(LINUX_SYN);
        TcpRepr r = TcpRepr.parse(MemorySegment.ofArray(b), 0, b.length, LOOPBACK, LOOPBACK);
        assertEquals(58056, r.srcPort());
        assertEquals(47811, r.dstPort());
        assertEquals(3252993123L, r.seq().unsigned());
        assertEquals(TcpHeader.SYN, r.flags());
        assertEquals(65495, r.window());
        assertEquals(65495, r.mss().getAsInt());
        assertTrue(r.sackPermitted());
        assertEquals(new TcpTimestamps(693475061, 0), r.timestamps().orElseThrow());
        assertEquals(10, r.windowShift().getAsInt());
        assertEquals(40, r.headerLength());
        // Our layout happens to be Linux's: emitting the record gives the same bytes.
        assertArrayEquals(b, r.toBytes(new byte[0], LOOPBACK, LOOPBACK));
    }

    @Test
    void linuxSynWithOffloadChecksumIsRefused() {
        byte[] b = Hex.bytes(LINUX_SYN);
        b[16] = (byte) 0xfe;
        b[17] = 0x30;
        assertEquals(Verdict.BAD_CHECKSUM, new TcpHeader().check(MemorySegment.ofArray(b), 0, b.length, LOOPBACK, LOOPBACK));
    }

    @Test
    void linuxRstParsesAndReemits() throws MalformedPacketException {
        byte[] b = Hex.bytes(LINUX_RST);
        TcpHeader h = new TcpHeader();
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(b), 0, b.length, LOOPBACK, LOOPBACK));
        assertTrue(h.has(TcpHeader.RST) && h.has(TcpHeader.ACK_FLAG));
        assertFalse(h.has(TcpHeader.SYN));
        assertEquals(3252993124L, Integer.toUnsignedLong(h.ack()));
        assertEquals(0, h.payloadLength());
        assertEquals(-1, h.mss());
        assertEquals(-1, h.windowShift());
        assertFalse(h.hasTimestamps());
        TcpRepr r = TcpRepr.parse(MemorySegment.ofArray(b), 0, b.length, LOOPBACK, LOOPBACK);
        assertArrayEquals(b, r.toBytes(new byte[0], LOOPBACK, LOOPBACK));
    }

    @Test
    void checksumCoversPseudoHeaderAddresses() {
        byte[] b = Hex.bytes(LINUX_RST);
        assertEquals(Verdict.BAD_CHECKSUM,
                new TcpHeader().check(MemorySegment.ofArray(b), 0, b.length, LOOPBACK, 0x7f00_0002));
    }

    static TcpRepr randomRepr(Random r) {
        TcpRepr t = TcpRepr.of(r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(), r.nextInt(),
                r.nextInt(0x100), r.nextInt(0x10000)).withUrgentPointer(r.nextInt(0x10000));
        boolean syn = r.nextBoolean();
        if (syn && r.nextBoolean()) {
            t = t.withMss(r.nextInt(0x10000));
        }
        if (syn && r.nextBoolean()) {
            t = t.withWindowShift(r.nextInt(15));
        }
        if (syn && r.nextBoolean()) {
            t = t.withSackPermitted();
        }
        boolean ts = r.nextBoolean();
        if (ts) {
            t = t.withTimestamps(r.nextInt(), r.nextInt());
        }
        if (!syn) {
            int max = ts ? 3 : 4; // 40 option bytes: 12 for timestamps + 4 + 8n
            List<SackBlock> blocks = new ArrayList<>();
            for (int i = r.nextInt(max + 1); i > 0; i--) {
                blocks.add(SackBlock.of(r.nextInt(), r.nextInt()));
            }
            t = t.withSackBlocks(blocks);
        }
        return t;
    }

    @Test
    void roundTripsRandomSegments() throws MalformedPacketException {
        Random r = new Random(9293);
        for (int n = 0; n < 2000; n++) {
            TcpRepr t = randomRepr(r);
            byte[] payload = new byte[r.nextInt(64)];
            r.nextBytes(payload);
            int src = r.nextInt();
            int dst = r.nextInt();
            byte[] wire = t.toBytes(payload, src, dst);
            assertEquals(t.headerLength() + payload.length, wire.length);
            TcpHeader h = new TcpHeader();
            MemorySegment s = MemorySegment.ofArray(wire);
            assertEquals(Verdict.OK, h.check(s, 0, wire.length, src, dst));
            assertEquals(t, TcpRepr.of(h));
            assertArrayEquals(payload, s.asSlice(h.payloadOffset(), h.payloadLength())
                    .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            // Every truncation is refused: short header, or a checksum that no longer matches.
            for (int cut = 0; cut < wire.length; cut++) {
                assertNotEquals(Verdict.OK, h.check(s, 0, cut, src, dst), "cut at " + cut);
            }
            // Any single flipped bit is caught.
            int bit = r.nextInt(wire.length * 8);
            wire[bit / 8] ^= (byte) (1 << (bit % 8));
            assertNotEquals(Verdict.OK, h.check(s, 0, wire.length, src, dst), "bit " + bit);
        }
    }

    /** Bytes of a header with these options, data offset set, checksum filled in. */
    static byte[] withOptions(String options) {
        byte[] opt = Hex.bytes(options);
        byte[] b = new byte[20 + opt.length];
        System.arraycopy(opt, 0, b, 20, opt.length);
        b[12] = (byte) ((b.length / 4) << 4);
        b[13] = TcpHeader.ACK_FLAG;
        fixChecksum(b, 1, 2);
        return b;
    }

    static void fixChecksum(byte[] b, int src, int dst) {
        b[16] = 0;
        b[17] = 0;
        MemorySegment s = MemorySegment.ofArray(b);
        int c = InternetChecksum.finish(InternetChecksum.add(
                InternetChecksum.pseudoHeader(src, dst, IpProtocol.TCP, b.length), s, 0, b.length));
        b[16] = (byte) (c >>> 8);
        b[17] = (byte) c;
    }

    static Verdict check(byte[] b) {
        return new TcpHeader().check(MemorySegment.ofArray(b), 0, b.length, 1, 2);
    }

    @Test
    void malformedOptionsAreRefused() {
        assertEquals(Verdict.BAD_OPTION, check(withOptions("02000000"))); // length 0
        assertEquals(Verdict.BAD_OPTION, check(withOptions("02010000"))); // length 1
        assertEquals(Verdict.BAD_OPTION, check(withOptions("01010102"))); // kind with no length byte
        assertEquals(Verdict.BAD_OPTION, check(withOptions("02050000"))); // runs past the header
        assertEquals(Verdict.BAD_OPTION, check(withOptions("02030500"))); // MSS of length 3
        assertEquals(Verdict.BAD_OPTION, check(withOptions("0104030e"))); // window scale of length 4
        assertEquals(Verdict.BAD_OPTION, check(withOptions("05020000"))); // SACK with no block
        assertEquals(Verdict.BAD_OPTION, check(withOptions("0506000000000000"))); // SACK 4 bytes
        assertEquals(Verdict.BAD_OPTION, check(withOptions("04030000"))); // SACK-permitted length 3
        assertEquals(Verdict.BAD_OPTION, check(withOptions("080400000000"))); // timestamps length 4
    }

    @Test
    void unknownOptionsAreSkippedAndEolEndsTheList() {
        TcpHeader h = new TcpHeader();
        byte[] b = withOptions("fe04abcd 020405b4");
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(b), 0, b.length, 1, 2));
        assertEquals(1460, h.mss());
        b = withOptions("00 000000 020405b4"); // EOL: what follows is padding, not an MSS
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(b), 0, b.length, 1, 2));
        assertEquals(-1, h.mss());
    }

    @Test
    void windowShiftAbove14IsUsedAs14() {
        TcpHeader h = new TcpHeader();
        byte[] b = withOptions("01 030320");
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(b), 0, b.length, 1, 2));
        assertEquals(14, h.windowShift());
    }

    @Test
    void headerLengthFieldsOutOfRangeAreRefused() {
        byte[] b = withOptions("");
        b[12] = 0x40; // 4 words
        fixChecksum(b, 1, 2);
        assertEquals(Verdict.BAD_HEADER_LENGTH, check(b));
        b[12] = 0x60; // 6 words in 20 bytes
        fixChecksum(b, 1, 2);
        assertEquals(Verdict.TRUNCATED, check(b));
    }

    @Test
    void sackBlocksAreReadInOrder() {
        TcpHeader h = new TcpHeader();
        byte[] b = withOptions("0101 0512 00000001 00000002 fffffff0 00000010");
        assertEquals(Verdict.OK, h.check(MemorySegment.ofArray(b), 0, b.length, 1, 2));
        assertEquals(2, h.sackBlockCount());
        assertEquals(1, h.sackLeft(0));
        assertEquals(2, h.sackRight(0));
        assertEquals(0xfffffff0, h.sackLeft(1));
        assertEquals(0x10, h.sackRight(1));
    }

    @Test
    void recordRefusesWhatTheWireCannotCarry() {
        TcpRepr t = TcpRepr.of(1, 2, 0, 0, TcpHeader.ACK_FLAG, 0).withTimestamps(1, 2);
        List<SackBlock> four = List.of(SackBlock.of(1, 2), SackBlock.of(3, 4), SackBlock.of(5, 6), SackBlock.of(7, 8));
        assertThrows(IllegalArgumentException.class, () -> t.withSackBlocks(four));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(65536, 2, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> t.withWindowShift(15));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(1, 2, 0, 0, 0x100, 0));
    }

    @Test
    void prependsIntoPooledBufferHeadroom() {
        try (BufferPool pool = new BufferPool(2048, 128, 4)) {
            PooledBuffer b = pool.acquire();
            b.put(new byte[] {'h', 'i', '!'}, 0, 3);
            TcpRepr t = TcpRepr.of(40000, 80, 7, 9, TcpHeader.ACK_FLAG | TcpHeader.PSH, 512).withTimestamps(5, 6);
            t.prependTo(b, 0xc0000201, 0xc0000202);
            assertEquals(t.headerLength() + 3, b.length());
            TcpHeader h = new TcpHeader();
            assertEquals(Verdict.OK, h.check(b, 0xc0000201, 0xc0000202));
            assertEquals(3, h.payloadLength());
            assertEquals(t, TcpRepr.of(h));
            b.release();
            pool.assertNoLeaks();
        }
    }
}
