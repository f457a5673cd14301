package atoll.dns.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One {OPTION-CODE, OPTION-LENGTH, OPTION-DATA} triple of the OPT RDATA (RFC 6891 §6.1.2). The data
 * is copied in and out; equality is by content.
 */
public record EdnsOption(int code, byte[] data) {
    /** RFC 5001 §2.3: the NSID option's OPTION-CODE. */
    public static final int NSID = 3;
    /** RFC 7828 §3.1: the edns-tcp-keepalive option's OPTION-CODE. */
    public static final int TCP_KEEPALIVE = 11;

    public EdnsOption {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("OPTION-CODE out of 16-bit range: " + code);
        }
        // RFC 6891 §6.1.2: OPTION-LENGTH is a 16-bit field.
        if (data.length > 0xffff) {
            throw new IllegalArgumentException("OPTION-DATA longer than 65535 octets");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** OPTION-LENGTH, without copying the data. */
    public int length() {
        return data.length;
    }

    byte dataByte(int i) {
        return data[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdnsOption e && e.code == code && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "OPT" + code + ":" + HexFormat.of().formatHex(data);
    }
}
