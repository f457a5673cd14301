package atoll.conformance;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The appliances that have conformance suites, each with its Java package here
 * ({@code atoll.conformance.<pkg>}) and its JUnit tag (its directory name under
 * {@code appliances/}, which {@code ./atoll conformance <appliance>} selects by). A new appliance
 * gets one constant here, a package, and a {@code features.txt} (conformance/README.md).
 */
public enum Appliance {
    DNS_SERVER("dns-server", "dns"),
    HTTPS_STATIC("https-static", "https"),
    SSH_BASTION("ssh-bastion", "ssh"),
    OPENVPN_GW("openvpn-gw", "openvpn");

    private static final String BASE = "atoll.conformance.";

    private final String directory;
    private final String pkg;

    Appliance(String directory, String pkg) {
        this.directory = directory;
        this.pkg = pkg;
    }

    /** Its directory under {@code appliances/}, its image's name and its JUnit tag. */
    public String tag() {
        return directory;
    }

    /** Its Java package in this module. */
    public String javaPackage() {
        return BASE + pkg;
    }

    public Path conformanceMd() {
        return Image.ROOT.resolve("appliances").resolve(directory).resolve("CONFORMANCE.md");
    }

    /** The classpath resource mapping feature ids to CONFORMANCE.md. */
    public String featuresResource() {
        return "/atoll/conformance/" + pkg + "/features.txt";
    }

    public static Optional<Appliance> named(String tag) {
        return Arrays.stream(values()).filter(a -> a.directory.equals(tag)).findFirst();
    }

    /** The appliance whose package {@code javaPackage} is, or lies under. */
    public static Optional<Appliance> ofPackage(String javaPackage) {
        return Arrays.stream(values())
                .filter(a -> javaPackage.equals(a.javaPackage()) || javaPackage.startsWith(a.javaPackage() + "."))
                .findFirst();
    }
}
