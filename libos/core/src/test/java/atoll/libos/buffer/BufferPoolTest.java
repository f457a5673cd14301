package atoll.libos.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void acquireReleaseAndOutstanding() {
        try (BufferPool pool = new BufferPool(256, 32, 4)) {
            assertEquals(0, pool.outstanding());
            PooledBuffer a = pool.acquire();
            PooledBuffer b = pool.acquire();
            assertEquals(2, pool.outstanding());
            assertEquals(2, pool.allocated());
            assertEquals(256, a.capacity());
            assertEquals(32, a.start());
            assertEquals(32, a.end());
            assertEquals(0, a.length());
            assertEquals(32, a.headroom());
            assertEquals(224, a.tailroom());
            assertTrue(a.isLive());
            a.release();
            assertFalse(a.isLive());
            assertEquals(1, pool.outstanding());
            b.close(); // try-with-resources form of release
            pool.assertNoLeaks();
            // Released blocks are reused rather than allocated again.
            PooledBuffer c = pool.acquire();
            assertEquals(2, pool.allocated());
            c.release();
            pool.assertNoLeaks();
        }
    }

    @Test
    void reacquiredBufferStartsEmptyAtHeadroom() {
        try (BufferPool pool = new BufferPool(128, 16, 1)) {
            PooledBuffer a = pool.acquire();
            a.put(new byte[] {1, 2, 3}, 0, 3);
            a.prepend(4);
            a.release();
            PooledBuffer b = pool.acquire();
            assertSame(a, b, "one block in the pool");
            assertEquals(16, b.start());
            assertEquals(0, b.length());
            b.release();
        }
    }

    @Test
    void exhaustion() {
        try (BufferPool pool = new BufferPool(64, 0, 2)) {
            PooledBuffer a = pool.tryAcquire();
            PooledBuffer b = pool.tryAcquire();
            assertNotNull(a);
            assertNotNull(b);
            assertNull(pool.tryAcquire());
            IllegalStateException e = assertThrows(IllegalStateException.class, pool::acquire);
            assertTrue(e.getMessage().contains("exhausted"), e.getMessage());
            a.release();
            PooledBuffer c = pool.tryAcquire();
            assertSame(a, c);
            b.release();
            c.release();
            pool.assertNoLeaks();
        }
    }

    @Test
    void badGeometryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(64, 64, 1));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(64, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(64, 0, 0));
    }

    @Test
    void doubleReleaseThrows() {
        try (BufferPool pool = new BufferPool(64, 0, 2)) {
            PooledBuffer a = pool.acquire();
            a.release();
            assertThrows(IllegalStateException.class, a::release);
            assertEquals(0, pool.outstanding(), "a second release must not corrupt the count");
        }
    }

    @Test
    void useAfterReleaseThrows() {
        try (BufferPool pool = new BufferPool(64, 8, 2)) {
            PooledBuffer a = pool.acquire();
            a.putU8(1);
            a.release();
            List<Consumer<PooledBuffer>> uses = List.of(PooledBuffer::data, PooledBuffer::memory,
                    PooledBuffer::toByteArray, PooledBuffer::retain, b -> b.append(1), b -> b.prepend(1),
                    b -> b.slice(0, 0), PooledBuffer::readableByteBuffer, PooledBuffer::writableByteBuffer,
                    b -> b.putU8(1));
            for (Consumer<PooledBuffer> use : uses) {
                assertThrows(IllegalStateException.class, () -> use.accept(a));
            }
        }
    }

    @Test
    void prependAppendConsumeWindows() {
        try (BufferPool pool = new BufferPool(64, 16, 1)) {
            PooledBuffer b = pool.acquire();
            // Transmit: payload once, then headers into the headroom.
            b.put(new byte[] {'h', 'i'}, 0, 2);
            MemorySegment udp = b.prepend(8);
            udp.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xAB);
            assertEquals(8, b.start());
            assertEquals(18, b.end());
            assertEquals(10, b.length());
            b.prepend(8);
            assertEquals(0, b.headroom());
            assertThrows(IndexOutOfBoundsException.class, () -> b.prepend(1));
            assertEquals(0xAB, b.getU8(8));

            // Receive: each layer consumes its header.
            b.consume(8);
            b.consume(8);
            assertArrayEquals(new byte[] {'h', 'i'}, b.toByteArray());
            assertThrows(IndexOutOfBoundsException.class, () -> b.consume(3));
            assertThrows(IndexOutOfBoundsException.class, () -> b.consume(-1));

            b.truncate(1);
            assertArrayEquals(new byte[] {'h'}, b.toByteArray());
            assertThrows(IndexOutOfBoundsException.class, () -> b.truncate(2));

            b.clear();
            assertEquals(16, b.start());
            assertEquals(0, b.length());
            assertThrows(IndexOutOfBoundsException.class, () -> b.append(49));
            b.append(48);
            assertEquals(0, b.tailroom());
            assertThrows(IndexOutOfBoundsException.class, () -> b.putU8(0));

            b.window(4, 10);
            assertEquals(6, b.length());
            assertThrows(IndexOutOfBoundsException.class, () -> b.window(10, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> b.window(0, 65));
            b.release();
            pool.assertNoLeaks();
        }
    }

    @Test
    void bigEndianAccessorsAndSlices() {
        try (BufferPool pool = new BufferPool(64, 4, 1)) {
            PooledBuffer b = pool.acquire();
            b.putU8(0xFE);
            b.putU16(0xBEEF);
            b.putI32(0x01020304);
            assertArrayEquals(new byte[] {(byte) 0xFE, (byte) 0xBE, (byte) 0xEF, 1, 2, 3, 4}, b.toByteArray());
            assertEquals(0xFE, b.getU8(0));
            assertEquals(0xBEEF, b.getU16(1));
            assertEquals(0x01020304, b.getI32(3));
            assertThrows(IndexOutOfBoundsException.class, () -> b.getU8(7));
            assertThrows(IndexOutOfBoundsException.class, () -> b.getU16(6));
            assertThrows(IndexOutOfBoundsException.class, () -> b.getI32(4));
            MemorySegment s = b.slice(1, 2);
            assertEquals(2, s.byteSize());
            assertEquals((byte) 0xBE, s.get(ValueLayout.JAVA_BYTE, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> b.slice(6, 2));
            b.release();
        }
    }

    @Test
    void nioViews() {
        try (BufferPool pool = new BufferPool(64, 8, 1)) {
            PooledBuffer b = pool.acquire();
            ByteBuffer w = b.writableByteBuffer();
            assertEquals(56, w.remaining());
            w.put(new byte[] {5, 6, 7});
            b.commitWrite(w);
            assertEquals(3, b.length());
            ByteBuffer r = b.readableByteBuffer();
            assertEquals(3, r.remaining());
            assertEquals(5, r.get());
            assertThrows(IllegalArgumentException.class, () -> b.commitWrite(ByteBuffer.allocate(1)));
            b.release();
        }
    }

    @Test
    void retainAddsAHolder() {
        try (BufferPool pool = new BufferPool(64, 0, 1)) {
            PooledBuffer b = pool.acquire();
            assertSame(b, b.retain());
            b.release();
            assertTrue(b.isLive(), "one holder left");
            assertEquals(1, pool.outstanding());
            assertNull(pool.tryAcquire(), "still out");
            b.release();
            assertFalse(b.isLive());
            assertEquals(0, pool.outstanding());
            assertThrows(IllegalStateException.class, b::release);
        }
    }

    @Test
    void leakReportWithTracing() {
        try (BufferPool pool = new BufferPool(64, 0, 4, true)) {
            PooledBuffer kept = pool.acquire();
            PooledBuffer returned = pool.acquire();
            returned.release();
            List<Throwable> report = pool.leakReport();
            assertEquals(1, report.size());
            assertTrue(report.getFirst().getStackTrace().length > 0);
            boolean mentionsTest = false;
            for (StackTraceElement e : report.getFirst().getStackTrace()) {
                mentionsTest |= e.getMethodName().equals("leakReportWithTracing");
            }
            assertTrue(mentionsTest, "the trace shows where the buffer was acquired");
            AssertionError e = assertThrows(AssertionError.class, pool::assertNoLeaks);
            assertTrue(e.getMessage().contains("1 pooled buffer(s) leaked"), e.getMessage());
            assertEquals(1, e.getSuppressed().length);
            kept.release();
            assertTrue(pool.leakReport().isEmpty());
            pool.assertNoLeaks();
        }
    }

    @Test
    void leakReportIsEmptyWithoutTracing() {
        try (BufferPool pool = new BufferPool(64, 0, 4, false)) {
            PooledBuffer kept = pool.acquire();
            assertTrue(pool.leakReport().isEmpty());
            AssertionError e = assertThrows(AssertionError.class, pool::assertNoLeaks);
            assertEquals(0, e.getSuppressed().length);
            kept.release();
        }
    }

    @Test
    void acquireAndReleaseFromManyThreads() throws Exception {
        try (BufferPool pool = new BufferPool(64, 0, 8)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        PooledBuffer b = pool.acquire(); // 4 threads x 1 buffer each never exhaust 8
                        b.putU8(i);
                        b.release();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            pool.assertNoLeaks();
            assertTrue(pool.allocated() <= 8);
        }
    }
}
