package atoll.stack.tcp;

import java.util.function.Consumer;

/**
 * Connections keyed by their 4-tuple (local address and port, remote address and port): an
 * open-addressing table with linear probing, so that the per-segment lookup allocates nothing.
 */
final class ConnectionTable {
    private TcpConnection[] slots = new TcpConnection[64];
    private int size;
    private int tombstones;
    private static final TcpConnection TOMBSTONE = null; // deletion re-inserts the probe run instead

    int size() {
        return size;
    }

    private static int hash(int localAddr, int localPort, int remoteAddr, int remotePort) {
        int h = localAddr * 0x9E3779B1 ^ remoteAddr * 0x85EBCA77 ^ (localPort << 16 | remotePort) * 0xC2B2AE3D;
        return h ^ (h >>> 15);
    }

    TcpConnection get(int localAddr, int localPort, int remoteAddr, int remotePort) {
        int mask = slots.length - 1;
        int i = hash(localAddr, localPort, remoteAddr, remotePort) & mask;
        while (true) {
            TcpConnection c = slots[i];
            if (c == null) {
                return null;
            }
            if (c.localPort == localPort && c.remotePort == remotePort && c.localAddr == localAddr
                    && c.remoteAddr == remoteAddr) {
                return c;
            }
            i = (i + 1) & mask;
        }
    }

    void put(TcpConnection c) {
        if ((size + 1) * 2 > slots.length) {
            resize(slots.length * 2);
        }
        insert(slots, c);
        size++;
    }

    private static void insert(TcpConnection[] table, TcpConnection c) {
        int mask = table.length - 1;
        int i = hash(c.localAddr, c.localPort, c.remoteAddr, c.remotePort) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = c;
    }

    boolean remove(TcpConnection c) {
        int mask = slots.length - 1;
        int i = hash(c.localAddr, c.localPort, c.remoteAddr, c.remotePort) & mask;
        while (slots[i] != null) {
            if (slots[i] == c) {
                slots[i] = TOMBSTONE;
                size--;
                // Backward-shift: re-insert the rest of the probe run so lookups never stop early.
                int j = (i + 1) & mask;
                while (slots[j] != null) {
                    TcpConnection moved = slots[j];
                    slots[j] = null;
                    insert(slots, moved);
                    j = (j + 1) & mask;
                }
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private void resize(int capacity) {
        TcpConnection[] old = slots;
        slots = new TcpConnection[capacity];
        for (TcpConnection c : old) {
            if (c != null) {
                insert(slots, c);
            }
        }
    }

    /** Visits every connection; the action must not add or remove connections. */
    void forEach(Consumer<TcpConnection> action) {
        for (TcpConnection c : slots) {
            if (c != null) {
                action.accept(c);
            }
        }
    }

    /** A snapshot of the connections, for iteration that may remove. */
    TcpConnection[] snapshot(TcpConnection[] reuse) {
        TcpConnection[] out = reuse.length >= size ? reuse : new TcpConnection[Math.max(size, reuse.length * 2)];
        int n = 0;
        for (TcpConnection c : slots) {
            if (c != null) {
                out[n++] = c;
            }
        }
        if (n < out.length) {
            out[n] = null;
        }
        return out;
    }
}
