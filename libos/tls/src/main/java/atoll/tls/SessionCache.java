package atoll.tls;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.tls.TlsSession;

/**
 * TLS 1.2 sessions by session ID, for abbreviated handshakes (RFC 5246 §7.3): least recently used
 * evicted past the size, expired after the lifetime. Time comes from the injected monotonic
 * clock reading. Thread-safe.
 */
final class SessionCache {
    private record Cached(TlsSession session, long expiresNanos) {}

    private final int capacity;
    private final long lifetimeNanos;
    private final Map<String, Cached> entries;

    SessionCache(int capacity, Duration lifetime) {
        this.capacity = capacity;
        this.lifetimeNanos = lifetime.toNanos();
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > SessionCache.this.capacity;
            }
        };
    }

    synchronized void put(TlsSession session, long nowNanos) {
        if (capacity == 0 || session.getSessionID().length == 0) {
            return;
        }
        entries.put(HexFormat.of().formatHex(session.getSessionID()), new Cached(session, nowNanos + lifetimeNanos));
    }

    synchronized TlsSession get(byte[] sessionId, long nowNanos) {
        if (sessionId == null || sessionId.length == 0) {
            return null;
        }
        String key = HexFormat.of().formatHex(sessionId);
        Cached e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (nowNanos - e.expiresNanos() >= 0 || !e.session().isResumable()) {
            entries.remove(key);
            return null;
        }
        return e.session();
    }

    synchronized int size() {
        return entries.size();
    }
}
