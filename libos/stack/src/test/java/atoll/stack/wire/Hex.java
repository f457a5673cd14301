package atoll.stack.wire;

import java.util.HexFormat;

/** Test helper: hex dumps in, bytes out (whitespace ignored). */
public final class Hex {
    private Hex() {}

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
