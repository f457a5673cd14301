package atoll.ssh.auth;

import atoll.ssh.wire.SshFormatException;
import atoll.ssh.wire.SshReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A flyweight view of an OpenSSH certificate blob (PROTOCOL.certkeys), checked once by
 * {@link #wrap}; after that no accessor throws. The layout, for each supported certified key:
 *
 * <pre>
 *   string    "ssh-ed25519-cert-v01@openssh.com"      | "ecdsa-sha2-nistp256-cert-v01@openssh.com" ...
 *                                                     | "ssh-rsa-cert-v01@openssh.com"
 *   string    nonce
 *   string    pk                                      | string curve, string public_key
 *                                                     | mpint e, mpint n
 *   uint64    serial
 *   uint32    type                 (SSH_CERT_TYPE_USER 1, SSH_CERT_TYPE_HOST 2)
 *   string    key id
 *   string    valid principals     (a sequence of strings)
 *   uint64    valid after          (seconds since the epoch)
 *   uint64    valid before
 *   string    critical options     (a sequence of string name, string data)
 *   string    extensions           (the same)
 *   string    reserved
 *   string    signature key        (the CA's public key blob)
 *   string    signature            (by the CA, over everything before this field)
 * </pre>
 */
public final class OpenSshCertificate {
    /** PROTOCOL.certkeys: "type" of a certificate that authenticates users. */
    public static final int USER = 1;
    /** PROTOCOL.certkeys: "valid before" of a certificate that never expires. */
    public static final long FOREVER = 0xffffffffffffffffL;

    /** Certificate key types and the plain key type each certifies. */
    static final Map<String, String> CERTIFIED_TYPE = Map.of(
            "ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519",
            "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp521",
            "ssh-rsa-cert-v01@openssh.com", "ssh-rsa");

    /**
     * OpenSSH PROTOCOL.certkeys: the holder of an RSA certificate signs with rsa-sha2-256 or
     * -512 under these algorithm names; other certificate types use their key type as the name.
     */
    static final Map<String, String> RSA_CERT_ALGORITHMS = Map.of(
            "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-256",
            "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-512");

    /**
     * One critical option or extension: its name and its data, which for every option
     * PROTOCOL.certkeys defines is one string; "" when the data is empty (a flag).
     */
    public record Option(String name, String value) {}

    private final byte[] blob;
    private final String certType;
    private final int keyFieldsStart;
    private final int keyFieldsEnd;
    private final int serialAt;
    private final int typeAt;
    private final int keyIdAt;
    private final int keyIdEnd;
    private final List<String> principals;
    private final int validAfterAt;
    private final List<Option> criticalOptions;
    private final List<String> extensions;
    private final int signatureKeyAt;
    private final int signatureKeyEnd;
    private final int signedEnd;
    private final int signatureAt;

    private OpenSshCertificate(byte[] blob, String certType, int[] at, List<String> principals,
            List<Option> criticalOptions, List<String> extensions) {
        this.blob = blob;
        this.certType = certType;
        this.keyFieldsStart = at[0];
        this.keyFieldsEnd = at[1];
        this.serialAt = at[1];
        this.typeAt = at[1] + 8;
        this.keyIdAt = at[2];
        this.keyIdEnd = at[3];
        this.validAfterAt = at[4];
        this.signatureKeyAt = at[5];
        this.signatureKeyEnd = at[6];
        this.signedEnd = at[7];
        this.signatureAt = at[8];
        this.principals = principals;
        this.criticalOptions = criticalOptions;
        this.extensions = extensions;
    }

    /** Whether a key type names a certificate this bastion can take. */
    public static boolean isCertificateType(String keyType) {
        return CERTIFIED_TYPE.containsKey(keyType);
    }

    /** The plain signature algorithm a user signs with when authenticating with {@code certAlgorithm}, or null. */
    public static String plainAlgorithm(String certAlgorithm, String certType) {
        String rsa = RSA_CERT_ALGORITHMS.get(certAlgorithm);
        if (rsa != null) {
            return certType.equals("ssh-rsa-cert-v01@openssh.com") ? rsa : null;
        }
        String plain = CERTIFIED_TYPE.get(certType);
        // RFC 8332 §3: never ssh-rsa-cert-v01 as an algorithm: it means a SHA-1 signature.
        return certAlgorithm.equals(certType) && plain != null && !plain.equals("ssh-rsa") ? plain : null;
    }

    /**
     * Checks the whole structure of an untrusted blob: every field present, nested lists well
     * formed, the certified key and the CA key valid keys of supported types, nothing trailing.
     * Says nothing about trust: see {@link UserCertificates}.
     */
    public static OpenSshCertificate wrap(byte[] blob) throws SshFormatException {
        SshReader r = new SshReader(blob);
        String certType = r.text();
        String plain = CERTIFIED_TYPE.get(certType);
        if (plain == null) {
            throw new SshFormatException("not a supported certificate type");
        }
        r.string(); // nonce
        int[] at = new int[9];
        at[0] = r.position();
        switch (plain) {
            case "ssh-ed25519" -> r.string();
            case "ssh-rsa" -> {
                r.string();
                r.string();
            }
            default -> {
                r.string();
                r.string();
            }
        }
        at[1] = r.position();
        // The certified key must itself be a valid key of the type the certificate names.
        PublicKeys.check(plainKey(blob, plain, at[0], at[1]));
        r.uint32(); // serial, high half
        r.uint32(); // serial, low half
        r.uint32(); // type
        at[2] = r.stringInPlace();
        at[3] = r.position();
        List<String> principals = strings(r.string(), "principals");
        at[4] = r.position();
        r.uint32();
        r.uint32();
        r.uint32();
        r.uint32();
        List<Option> critical = pairs(r.string(), "critical options", true);
        List<String> extensions = new ArrayList<>();
        for (Option e : pairs(r.string(), "extensions", false)) {
            extensions.add(e.name());
        }
        r.string(); // reserved
        at[5] = r.stringInPlace();
        at[6] = r.position();
        at[7] = r.position();
        byte[] caKey = Arrays.copyOfRange(blob, at[5], at[6]);
        // A CA key that is itself a certificate is refused: PublicKeys.check takes plain keys only.
        PublicKeys.check(caKey);
        at[8] = r.stringInPlace();
        r.end();
        return new OpenSshCertificate(blob, certType, at, List.copyOf(principals), List.copyOf(critical),
                List.copyOf(extensions));
    }

    private static byte[] plainKey(byte[] blob, String plain, int from, int to) {
        byte[] type = plain.getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[4 + type.length + (to - from)];
        key[0] = (byte) (type.length >>> 24);
        key[1] = (byte) (type.length >>> 16);
        key[2] = (byte) (type.length >>> 8);
        key[3] = (byte) type.length;
        System.arraycopy(type, 0, key, 4, type.length);
        System.arraycopy(blob, from, key, 4 + type.length, to - from);
        return key;
    }

    private static List<String> strings(byte[] packed, String what) throws SshFormatException {
        SshReader r = new SshReader(packed);
        List<String> out = new ArrayList<>();
        while (r.remaining() > 0) {
            out.add(checkedText(r.string(), what));
        }
        return out;
    }

    /**
     * Name/data pairs. The data of a known critical option is itself a string inside the string;
     * an extension's data is not looked into (unknown ones are ignored, whatever they hold).
     */
    private static List<Option> pairs(byte[] packed, String what, boolean nestedValue) throws SshFormatException {
        SshReader r = new SshReader(packed);
        List<Option> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (r.remaining() > 0) {
            String name = checkedText(r.string(), what);
            byte[] data = r.string();
            // PROTOCOL.certkeys: each name MUST appear only once (the "lexical order" it also asks
            // is not enforced: a CA that does not sort is not thereby dangerous).
            if (!seen.add(name)) {
                throw new SshFormatException(what + " repeat '" + clip(name) + "'");
            }
            String value = "";
            if (data.length > 0 && nestedValue) {
                SshReader d = new SshReader(data);
                value = checkedText(d.string(), what);
                d.end();
            }
            out.add(new Option(name, value));
        }
        return out;
    }

    private static String checkedText(byte[] s, String what) throws SshFormatException {
        String t = new String(s, StandardCharsets.UTF_8);
        if (!Arrays.equals(t.getBytes(StandardCharsets.UTF_8), s)) {
            throw new SshFormatException(what + " not UTF-8");
        }
        return t;
    }

    public static String clip(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    private long uint64(int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (blob[at + i] & 0xff);
        }
        return v;
    }

    public String certType() {
        return certType;
    }

    /** The plain type of the certified key ("ssh-ed25519", "ssh-rsa", ...). */
    public String keyType() {
        return CERTIFIED_TYPE.get(certType);
    }

    /** The certified key as a plain public key blob (what the user's signature is checked with). */
    public byte[] certifiedKey() {
        return plainKey(blob, keyType(), keyFieldsStart, keyFieldsEnd);
    }

    public long serial() {
        return uint64(serialAt);
    }

    public int type() {
        return (int) (((blob[typeAt] & 0xffL) << 24) | ((blob[typeAt + 1] & 0xff) << 16)
                | ((blob[typeAt + 2] & 0xff) << 8) | (blob[typeAt + 3] & 0xff));
    }

    public String keyId() {
        return new String(blob, keyIdAt, keyIdEnd - keyIdAt, StandardCharsets.UTF_8);
    }

    public List<String> principals() {
        return principals;
    }

    public long validAfter() {
        return uint64(validAfterAt);
    }

    public long validBefore() {
        return uint64(validAfterAt + 8);
    }

    /** Critical options in their (checked, lexical) order. */
    public List<Option> criticalOptions() {
        return criticalOptions;
    }

    public List<String> extensions() {
        return extensions;
    }

    /** The CA's public key blob. */
    public byte[] signatureKey() {
        return Arrays.copyOfRange(blob, signatureKeyAt, signatureKeyEnd);
    }

    /** PROTOCOL.certkeys: the signature is "computed over all preceding fields". */
    public byte[] signedPart() {
        return Arrays.copyOfRange(blob, 0, signedEnd);
    }

    /** The CA's SSH signature blob (string algorithm, string signature). */
    public byte[] signature() {
        return Arrays.copyOfRange(blob, signatureAt, blob.length);
    }
}
