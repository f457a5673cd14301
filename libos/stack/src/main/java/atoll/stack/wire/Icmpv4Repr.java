package atoll.stack.wire;

import atoll.libos.buffer.HeaderLayer;
import atoll.libos.buffer.PooledBuffer;
import java.lang.foreign.MemorySegment;

/**
 * An ICMPv4 message header as a value (the data after the first 8 octets is not part of it); one
 * record per message type this stack speaks, {@link Other} for the rest.
 */
public sealed interface Icmpv4Repr {

    int type();

    int code();

    /** The 4 type-specific octets after the checksum. */
    int rest();

    record EchoRequest(int identifier, int sequence) implements Icmpv4Repr {
        public EchoRequest {
            u16(identifier);
            u16(sequence);
        }

        public int type() {
            return Icmpv4Message.ECHO_REQUEST;
        }

        public int code() {
            return 0;
        }

        public int rest() {
            return identifier << 16 | sequence;
        }
    }

    record EchoReply(int identifier, int sequence) implements Icmpv4Repr {
        public EchoReply {
            u16(identifier);
            u16(sequence);
        }

        public int type() {
            return Icmpv4Message.ECHO_REPLY;
        }

        public int code() {
            return 0;
        }

        public int rest() {
            return identifier << 16 | sequence;
        }
    }

    /** @param nextHopMtu RFC 1191 §4, only meaningful with code 4; 0 otherwise */
    record DestinationUnreachable(int code, int nextHopMtu) implements Icmpv4Repr {
        public DestinationUnreachable {
            if (code < 0 || code > 0xff) {
                throw new IllegalArgumentException("code " + code);
            }
            u16(nextHopMtu);
        }

        public int type() {
            return Icmpv4Message.DESTINATION_UNREACHABLE;
        }

        public int rest() {
            return nextHopMtu;
        }
    }

    record TimeExceeded(int code) implements Icmpv4Repr {
        public TimeExceeded {
            if (code < 0 || code > 0xff) {
                throw new IllegalArgumentException("code " + code);
            }
        }

        public int type() {
            return Icmpv4Message.TIME_EXCEEDED;
        }

        public int rest() {
            return 0;
        }
    }

    /** Any other type, kept as raw octets. */
    record Other(int type, int code, int rest) implements Icmpv4Repr {
        public Other {
            if (type < 0 || type > 0xff || code < 0 || code > 0xff) {
                throw new IllegalArgumentException("type/code " + type + "/" + code);
            }
        }
    }

    static Icmpv4Repr parse(MemorySegment s, long offset, int length) throws MalformedPacketException {
        Icmpv4Message m = new Icmpv4Message();
        MalformedPacketException.require(m.check(s, offset, length), "ICMPv4");
        return of(m);
    }

    static Icmpv4Repr of(Icmpv4Message m) {
        return switch (m.type()) {
            case Icmpv4Message.ECHO_REQUEST -> m.code() == 0
                    ? new EchoRequest(m.echoIdentifier(), m.echoSequence())
                    : new Other(m.type(), m.code(), m.rest());
            case Icmpv4Message.ECHO_REPLY -> m.code() == 0
                    ? new EchoReply(m.echoIdentifier(), m.echoSequence())
                    : new Other(m.type(), m.code(), m.rest());
            case Icmpv4Message.DESTINATION_UNREACHABLE -> m.rest() >>> 16 == 0
                    ? new DestinationUnreachable(m.code(), m.nextHopMtu())
                    : new Other(m.type(), m.code(), m.rest());
            case Icmpv4Message.TIME_EXCEEDED -> m.rest() == 0
                    ? new TimeExceeded(m.code())
                    : new Other(m.type(), m.code(), m.rest());
            default -> new Other(m.type(), m.code(), m.rest());
        };
    }

    /**
     * Writes the 8-octet header at {@code offset}, followed in memory by {@code dataLength} bytes
     * already in place, and the checksum over both.
     */
    default void emit(MemorySegment s, long offset, int dataLength) {
        emit(s, offset, type(), code(), rest(), dataLength);
    }

    /** Same as {@link #emit(MemorySegment, long, int)} without a record. */
    static void emit(MemorySegment s, long offset, int type, int code, int rest, int dataLength) {
        BigEndian.putU8(s, offset + Icmpv4Message.TYPE, type);
        BigEndian.putU8(s, offset + Icmpv4Message.CODE, code);
        BigEndian.putU16(s, offset + Icmpv4Message.CHECKSUM, 0);
        BigEndian.putI32(s, offset + Icmpv4Message.REST, rest);
        BigEndian.putU16(s, offset + Icmpv4Message.CHECKSUM,
                InternetChecksum.of(s, offset, Icmpv4Message.HEADER_LENGTH + dataLength));
    }

    /** Pushes the header, as the {@link HeaderLayer#TRANSPORT} header, before the data in {@code buffer}. */
    default void prependTo(PooledBuffer buffer) {
        int data = buffer.length();
        buffer.pushHeader(HeaderLayer.TRANSPORT, Icmpv4Message.HEADER_LENGTH);
        emit(buffer.memory(), buffer.start(), data);
    }

    private static void u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(v + " not in 0..65535");
        }
    }
}
