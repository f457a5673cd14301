package atoll.stack.wire;

/** An IEEE 802 48-bit MAC address, held in the low bits of a long; views hand out the long. */
public record MacAddress(long bits) {
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("more than 48 bits: " + Long.toHexString(bits));
        }
    }

    /**
     * Parses {@code 02:00:5e:00:53:01} (colons or hyphens, hex digits in either case).
     *
     * @throws IllegalArgumentException naming the text if it is not one
     */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long bits = 0;
        for (String p : parts) {
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            bits = (bits << 8) | Integer.parseInt(p, 16);
        }
        return new MacAddress(bits);
    }

    /** IEEE 802: the I/G bit, the least significant bit of the first octet. */
    public boolean isMulticast() {
        return isMulticast(bits);
    }

    public static boolean isMulticast(long bits) {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            int b = (int) (bits >>> shift) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
