package atoll.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A built appliance image, {@code appliances/<name>/target/image} as {@code mvn package} leaves
 * it, run by the suites as an operator would: its launcher {@code bin/<name>} as a separate
 * process. The suites never load the appliance's classes to serve; the image is what is tested.
 */
public record Image(String name, Path dir) {
    /** The checkout's root; failsafe passes it (the module's parent directory). */
    public static final Path ROOT = Path.of(System.getProperty("atoll.conformance.root", "..")).toAbsolutePath().normalize();

    /** The image of appliance {@code name} (its directory under {@code appliances/}). */
    public static Image of(String name) {
        return new Image(name, ROOT.resolve("appliances").resolve(name).resolve("target").resolve("image"));
    }

    public Path launcher() {
        return dir.resolve("bin").resolve(name);
    }

    /**
     * Skips the test when the build skipped the images ({@code -Dimage.skip=true}); fails it when
     * the image is missing. Returns this image.
     */
    public Image requireBuilt() {
        assumeFalse(Boolean.parseBoolean(System.getProperty("atoll.image.skip")), "image build skipped (-Dimage.skip=true)");
        assertTrue(Files.isExecutable(launcher()), "no launcher at " + launcher() + ": build the image first (./atoll image " + name + ")");
        return this;
    }

    /** The launcher followed by {@code args}. */
    public List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the image with {@code args}, stdin closed, stdout and stderr into {@code log}. */
    public ImageProcess start(Path log, String... args) throws IOException {
        return start(log, Map.of(), List.of(args));
    }

    /** Starts the image with {@code env} added to its environment (ATOLL_JAVA_OPTS, say). */
    public ImageProcess start(Path log, Map<String, String> env, List<String> args) throws IOException {
        requireBuilt();
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder b = new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        b.environment().putAll(env);
        return ImageProcess.of(name, b.start(), log);
    }
}
