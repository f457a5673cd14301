package atoll.openvpn.control;

import atoll.openvpn.wire.ControlPacket;
import atoll.openvpn.wire.Opcode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One direction pair of the control channel for one key id: numbers what we send, retransmits it
 * until acknowledged, acknowledges what we receive and delivers it in order. OpenVPN runs TLS over
 * this (its {@code reliable.c}); the layer only moves opaque payloads.
 *
 * <p>Sans-I/O: {@link #receive} takes a parsed packet, {@link #poll} returns the packets due at the
 * given time, {@link #nextDeadline} says when to poll again. Not thread-safe.
 */
public final class ReliableChannel {
    /** Unacknowledged packets in flight (ours; OpenVPN 2.6 keeps a few more receive slots than send). */
    public static final int SEND_WINDOW = 6;
    /** Ids ahead of the next expected one that are buffered rather than dropped (ours). */
    public static final int RECEIVE_WINDOW = 8;
    /** Queued payloads waiting for the send window: bounds memory a stuck peer can make us hold. */
    public static final int MAX_QUEUED = 64;
    /** Initial retransmission timeout: OpenVPN's {@code --tls-timeout} default, 2 s. */
    public static final long INITIAL_RTO_NANOS = 2_000_000_000L;
    /** Back-off doubles up to this (ours). */
    public static final long MAX_RTO_NANOS = 16_000_000_000L;

    /** What became of a received packet's message id. */
    public sealed interface Received {}

    /** New, buffered for in-order delivery (and acknowledged). */
    public record Accepted(long messageId) implements Received {}

    /** Seen before: acknowledged again, as our earlier ack may have been lost. */
    public record Duplicate(long messageId) implements Received {}

    /** Beyond the receive window: dropped without ack; the peer retransmits. */
    public record OutOfWindow(long messageId) implements Received {}

    private record Delivery(Opcode opcode, byte[] payload) {}

    private static final class InFlight {
        final long id;
        final Opcode opcode;
        final byte[] payload;
        long due;
        long rto = INITIAL_RTO_NANOS;
        boolean acked;
        boolean sent;

        InFlight(long id, Opcode opcode, byte[] payload) {
            this.id = id;
            this.opcode = opcode;
            this.payload = payload;
        }
    }

    private final int keyId;
    private final long localSession;
    private long remoteSession;
    private long nextSendId;
    private long nextReceiveId;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Delivery> queued = new ArrayDeque<>();
    private final Delivery[] reorder = new Delivery[RECEIVE_WINDOW];
    private final ArrayDeque<byte[]> delivered = new ArrayDeque<>();
    private final ArrayDeque<Long> pendingAcks = new ArrayDeque<>();
    private long retransmissions;

    /**
     * @param nextSendId the message id our next packet takes (1 after a reset we sent as 0)
     * @param nextReceiveId the message id expected next from the peer
     */
    public ReliableChannel(int keyId, long localSession, long remoteSession, long nextSendId, long nextReceiveId) {
        this.keyId = keyId;
        this.localSession = localSession;
        this.remoteSession = remoteSession;
        this.nextSendId = nextSendId;
        this.nextReceiveId = nextReceiveId;
    }

    /**
     * Queues a payload to send reliably under {@code opcode}.
     *
     * @return false when {@link #MAX_QUEUED} payloads wait already (the caller treats the peer as stuck)
     */
    public boolean offer(Opcode opcode, byte[] payload) {
        if (queued.size() >= MAX_QUEUED) {
            return false;
        }
        queued.add(new Delivery(opcode, payload.clone()));
        return true;
    }

    /** Feeds a packet from the peer (already authenticated and matched to this session). */
    public Received receive(ControlPacket p) {
        for (int i = 0; i < p.ackCount(); i++) {
            acknowledge(p.ack(i));
        }
        if (p.messageId() < 0) {
            return null;
        }
        long id = p.messageId();
        if (id < nextReceiveId) {
            queueAck(id);
            return new Duplicate(id);
        }
        if (id >= nextReceiveId + RECEIVE_WINDOW) {
            return new OutOfWindow(id);
        }
        int slot = (int) (id % RECEIVE_WINDOW);
        boolean fresh = reorder[slot] == null;
        if (fresh) {
            reorder[slot] = new Delivery(p.opcode(), p.payload());
        }
        queueAck(id);
        while (reorder[(int) (nextReceiveId % RECEIVE_WINDOW)] != null) {
            int s = (int) (nextReceiveId % RECEIVE_WINDOW);
            delivered.add(reorder[s].payload);
            reorder[s] = null;
            nextReceiveId++;
        }
        return fresh ? new Accepted(id) : new Duplicate(id);
    }

    private void queueAck(long id) {
        if (!pendingAcks.contains(id)) {
            pendingAcks.add(id);
        }
    }

    private void acknowledge(long id) {
        for (InFlight f : inFlight) {
            if (f.id == id) {
                f.acked = true;
            }
        }
        while (!inFlight.isEmpty() && inFlight.peekFirst().acked) {
            inFlight.removeFirst();
        }
    }

    /** The next payload received in order, or null. */
    public byte[] takeDelivered() {
        return delivered.poll();
    }

    /**
     * The packets to send at {@code now}: new ones the window admits, retransmissions that are due,
     * and a bare P_ACK_V1 when acknowledgements are owed and nothing else carries them.
     */
    public List<ControlPacket> poll(long now) {
        List<ControlPacket> out = new ArrayList<>();
        while (!queued.isEmpty() && inFlight.size() < SEND_WINDOW) {
            Delivery d = queued.poll();
            InFlight f = new InFlight(nextSendId++, d.opcode, d.payload);
            f.due = now;
            inFlight.add(f);
        }
        for (InFlight f : inFlight) {
            if (!f.acked && f.due - now <= 0) {
                if (f.sent) {
                    retransmissions++;
                }
                f.sent = true;
                out.add(new ControlPacket(f.opcode, keyId, localSession, takeAcks(), remoteSession, f.id, f.payload));
                f.due = now + f.rto;
                f.rto = Math.min(MAX_RTO_NANOS, 2 * f.rto);
            }
        }
        if (!pendingAcks.isEmpty()) {
            out.add(new ControlPacket(Opcode.ACK_V1, keyId, localSession, takeAcks(), remoteSession, -1, new byte[0]));
        }
        return out;
    }

    private long[] takeAcks() {
        int n = Math.min(ControlPacket.MAX_ACKS, pendingAcks.size());
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = pendingAcks.poll();
        }
        return a;
    }

    /** When {@link #poll} has something to do next: now if acks are owed, else the earliest retransmission, else Long.MAX_VALUE. */
    public long nextDeadline(long now) {
        if (!pendingAcks.isEmpty() || (!queued.isEmpty() && inFlight.size() < SEND_WINDOW)) {
            return now;
        }
        long d = Long.MAX_VALUE;
        for (InFlight f : inFlight) {
            if (!f.acked && (d == Long.MAX_VALUE || f.due - d < 0)) {
                d = f.due;
            }
        }
        return d;
    }

    /** Whether everything we sent was acknowledged and nothing waits. */
    public boolean idle() {
        return inFlight.isEmpty() && queued.isEmpty();
    }

    public long retransmissions() {
        return retransmissions;
    }

    public long nextReceiveId() {
        return nextReceiveId;
    }

    @Override
    public String toString() {
        return "ReliableChannel[send=" + nextSendId + " inFlight=" + inFlight.size() + " receive=" + nextReceiveId
                + " acks=" + Arrays.toString(pendingAcks.toArray()) + "]";
    }
}
