package atoll.libos.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BufferQuotaTest {

    @Test
    void lendsAtMostItsShareAndGetsEachBackOnRelease() {
        try (BufferPool pool = new BufferPool(256, 16, 10)) {
            BufferQuota q = new BufferQuota(pool, 2);
            PooledBuffer a = q.tryAcquire();
            PooledBuffer b = q.tryAcquire();
            assertNotNull(a);
            assertNotNull(b);
            assertNull(q.tryAcquire(), "share used up");
            assertEquals(2, q.held());
            b.retain();
            b.release();
            assertEquals(2, q.held(), "not back until the last holder releases");
            b.release();
            assertEquals(1, q.held());
            PooledBuffer c = q.tryAcquire();
            assertNotNull(c);
            a.release();
            c.release();
            assertEquals(0, q.held());
            pool.assertNoLeaks();
        }
    }

    @Test
    void aBufferReusedOutsideTheQuotaDoesNotCountAgainstIt() {
        try (BufferPool pool = new BufferPool(256, 16, 1)) {
            BufferQuota q = new BufferQuota(pool, 1);
            q.tryAcquire().release();
            PooledBuffer plain = pool.acquire(); // the same block, lent without a quota
            plain.release();
            assertEquals(0, q.held());
        }
    }

    @Test
    void anEmptyPoolLendsNothingAndCostsNoShare() {
        try (BufferPool pool = new BufferPool(256, 16, 1)) {
            PooledBuffer other = pool.acquire();
            BufferQuota q = new BufferQuota(pool, 3);
            assertNull(q.tryAcquire());
            assertEquals(0, q.held());
            other.release();
        }
    }
}
