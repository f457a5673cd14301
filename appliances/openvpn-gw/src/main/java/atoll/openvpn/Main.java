package atoll.openvpn;

import atoll.libos.runtime.Launcher;

/** Entry point of the openvpn-gw image: runs {@link OpenVpnGateway} on the target the image was built for. */
public final class Main {
    private Main() {}

    /** The appliance's version, written into the module by the build. */
    static String version() {
        try (var in = Main.class.getResourceAsStream("version.txt")) {
            return in == null ? "unknown" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("profile")) {
            System.exit(atoll.openvpn.tool.Profiles.main(java.util.Arrays.copyOfRange(args, 1, args.length), System.out,
                    System.err));
        }
        System.exit(Launcher.run(new OpenVpnGateway(), version(), args));
    }
}
