package atoll.dns;

import atoll.libos.runtime.Launcher;

/** Entry point of the dns-server image: runs {@link DnsServer} on the target the image was built for. */
public final class Main {
    private Main() {}

    /** The appliance's version, from the jar manifest (set by the build). */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    public static void main(String[] args) {
        System.exit(Launcher.run(new DnsServer(), version(), args));
    }
}
