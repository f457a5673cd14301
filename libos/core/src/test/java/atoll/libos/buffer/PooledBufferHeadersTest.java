package atoll.libos.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Per-layer header offsets and the generation stamp. */
class PooledBufferHeadersTest {

    @Test
    void receivePathConsumesEachLayerAndRemembersWhere() {
        try (BufferPool pool = new BufferPool(256, 32, 1)) {
            PooledBuffer b = pool.acquire();
            byte[] frame = new byte[14 + 20 + 8 + 5];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) i;
            }
            b.put(frame, 0, frame.length);
            assertThrows(IndexOutOfBoundsException.class, () -> b.consumeHeader(HeaderLayer.LINK, frame.length + 1));
            assertFalse(b.hasHeader(HeaderLayer.LINK));
            b.consumeHeader(HeaderLayer.LINK, 14);
            b.consumeHeader(HeaderLayer.NETWORK, 20);
            b.consumeHeader(HeaderLayer.TRANSPORT, 8);
            assertEquals(5, b.length());
            assertEquals(32, b.headerOffset(HeaderLayer.LINK));
            assertEquals(46, b.headerOffset(HeaderLayer.NETWORK));
            assertEquals(20, b.headerLength(HeaderLayer.NETWORK));
            assertEquals(66, b.headerOffset(HeaderLayer.TRANSPORT));
            // Reaching back: the network header's first byte is the frame's 15th.
            assertEquals(14, b.memory().get(ValueLayout.JAVA_BYTE, b.headerOffset(HeaderLayer.NETWORK)));
            assertArrayEquals(new byte[] {42, 43, 44, 45, 46}, b.toByteArray());
            assertThrows(IllegalStateException.class, () -> b.consumeHeader(HeaderLayer.NETWORK, 0));
            assertThrows(IllegalStateException.class, () -> b.consumeHeader(
                    HeaderLayer.LINK, 6), "LINK is recorded: refused before the length is looked at");
            b.release();
            pool.assertNoLeaks();
        }
    }

    @Test
    void sendPathPushesIntoHeadroomOnce() {
        try (BufferPool pool = new BufferPool(256, 64, 1)) {
            PooledBuffer b = pool.acquire();
            b.put(new byte[] {1, 2, 3}, 0, 3);
            b.pushHeader(HeaderLayer.TRANSPORT, 8);
            b.pushHeader(HeaderLayer.NETWORK, 20);
            b.pushHeader(HeaderLayer.LINK, 14);
            assertEquals(64 - 42, b.start());
            assertEquals(45, b.length());
            assertEquals(64 - 8, b.headerOffset(HeaderLayer.TRANSPORT));
            assertEquals(64 - 28, b.headerOffset(HeaderLayer.NETWORK));
            assertEquals(b.start(), b.headerOffset(HeaderLayer.LINK));
            assertThrows(IllegalStateException.class, () -> b.pushHeader(HeaderLayer.LINK, 14));
            // Handed to a receiver as is (an in-memory link): headers forgotten, window kept.
            int start = b.start();
            b.forgetHeaders();
            assertEquals(start, b.start());
            assertEquals(45, b.length());
            b.consumeHeader(HeaderLayer.LINK, 14);
            assertEquals(start, b.headerOffset(HeaderLayer.LINK));
            assertFalse(b.hasHeader(HeaderLayer.NETWORK));
            assertThrows(IndexOutOfBoundsException.class, () -> {
                b.clear();
                b.window(4, 4);
                b.pushHeader(HeaderLayer.LINK, 14);
            });
            b.release();
        }
    }

    @Test
    void reuseAndClearForgetHeaders() {
        try (BufferPool pool = new BufferPool(256, 32, 1)) {
            PooledBuffer a = pool.acquire();
            a.put(new byte[20], 0, 20);
            a.consumeHeader(HeaderLayer.LINK, 14);
            a.clear();
            assertFalse(a.hasHeader(HeaderLayer.LINK));
            assertEquals(-1, a.headerOffset(HeaderLayer.LINK));
            a.put(new byte[20], 0, 20);
            a.consumeHeader(HeaderLayer.LINK, 14);
            a.release();
            PooledBuffer b = pool.acquire();
            assertSame(a, b);
            assertFalse(b.hasHeader(HeaderLayer.LINK));
            assertEquals(0, b.headerLength(HeaderLayer.LINK));
            b.release();
        }
    }

    @Test
    void staleReleaseAfterReuseIsCaught() {
        try (BufferPool pool = new BufferPool(128, 16, 1)) {
            PooledBuffer first = pool.acquire();
            int stamp = first.generation();
            first.release(stamp);
            PooledBuffer second = pool.acquire(); // the same block, lent out again
            assertSame(first, second);
            assertNotEquals(stamp, second.generation());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.release(stamp));
            assertTrue(e.getMessage().contains("stale release"), e.getMessage());
            // The new holder still owns its buffer.
            assertTrue(second.isLive());
            assertEquals(1, pool.outstanding());
            second.release(second.generation());
            pool.assertNoLeaks();
        }
    }

    @Test
    void doubleReleaseWithinOneGenerationIsCaught() {
        try (BufferPool pool = new BufferPool(128, 16, 1)) {
            PooledBuffer b = pool.acquire();
            int stamp = b.generation();
            b.release(stamp);
            assertThrows(IllegalStateException.class, () -> b.release(stamp));
            pool.assertNoLeaks();
        }
    }

    @Test
    void retainedHoldersShareTheGeneration() {
        try (BufferPool pool = new BufferPool(128, 16, 1)) {
            PooledBuffer b = pool.acquire();
            int stamp = b.generation();
            b.retain();
            b.release(stamp);
            assertTrue(b.isLive());
            b.release(stamp);
            pool.assertNoLeaks();
        }
    }
}
