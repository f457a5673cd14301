package atoll.ssh;

import atoll.libos.runtime.Launcher;

/** Entry point of the ssh-bastion image: runs {@link SshBastion} on the target the image was built for. */
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
        System.exit(Launcher.run(new SshBastion(), version(), args));
    }
}
