package atoll.build.image;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to build: every input of an image build, parsed from {@code --key value} or
 * {@code --key=value} arguments.
 *
 * @param name           appliance name: the launcher {@code bin/<name>} and the config {@code conf/<name>.conf}
 * @param version        appliance version, in the archive's top directory {@code <name>-<version>/}
 * @param target         the libos targets the image carries, comma-separated, the default first
 *                       (e.g. {@code socket,tap}); the appliance's {@code target} key picks one at start
 * @param modulePath     directories and jars holding the appliance's modules and their runtime dependencies
 * @param mainModule     the module holding the main class
 * @param mainClass      fully qualified main class
 * @param confDir        default configuration directory, copied to {@code conf/}
 * @param output         image directory (replaced)
 * @param archive        the {@code .tar.gz} to write
 * @param timestamp      the instant stamped on every file and archive entry
 * @param addJdkModules  JDK modules to link in addition to the {@code requires} closure
 * @param javaOptions    extra JVM options baked into the launcher
 * @param cds            whether jlink generates a CDS archive for faster start-up
 * @param trainArgs      appliance arguments for the training run that makes the image's AOT cache
 *                       ({@code {port}} stands for a free loopback port); empty: no training run
 * @param trainClient    {@code module/class} in the image whose main, given {@code 127.0.0.1 PORT},
 *                       sends the training run a few requests; null: the run only starts and stops
 * @param ociLayout      directory for the OCI image layout (replaced), its tar beside the archive
 *                       ({@code <name>-<version>-oci.tar}); null: no OCI image
 * @param exposedPorts   the OCI config's {@code ExposedPorts}: {@code port/tcp} or {@code port/udp}
 */
public record ImageSpec(String name, String version, String target, List<Path> modulePath, String mainModule,
                        String mainClass, Path confDir, Path output, Path archive, Instant timestamp,
                        List<String> addJdkModules, List<String> javaOptions, boolean cds,
                        List<String> trainArgs, String trainClient, Path ociLayout, List<String> exposedPorts) {

    /** Names we put in file names and shell text: no quoting surprises. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final Pattern JAVA_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.]*");
    /** OCI image-spec config: {@code ExposedPorts} keys are "port/tcp", "port/udp" (or "port", meaning tcp). */
    private static final Pattern PORT = Pattern.compile("([1-9][0-9]{0,4})/(tcp|udp)");
    private static final Pattern TRAIN_CLIENT = Pattern.compile("[\\p{javaJavaIdentifierPart}.]+/[\\p{javaJavaIdentifierPart}.]+");

    public ImageSpec {
        Objects.requireNonNull(name, "--name");
        Objects.requireNonNull(version, "--version");
        Objects.requireNonNull(target, "--target");
        Objects.requireNonNull(mainModule, "--main-module");
        Objects.requireNonNull(mainClass, "--main-class");
        Objects.requireNonNull(confDir, "--conf-dir");
        Objects.requireNonNull(output, "--output");
        Objects.requireNonNull(archive, "--archive");
        Objects.requireNonNull(timestamp, "--timestamp");
        for (String s : List.of(name, version)) {
            if (!SAFE.matcher(s).matches()) throw new IllegalArgumentException("not a plain name: '" + s + "'");
        }
        for (String s : target.split(",", -1)) {
            if (!SAFE.matcher(s).matches()) throw new IllegalArgumentException("not a plain target name: '" + s + "'");
        }
        for (String s : List.of(mainModule, mainClass)) {
            if (!JAVA_NAME.matcher(s).matches()) throw new IllegalArgumentException("not a Java name: '" + s + "'");
        }
        if (modulePath.isEmpty()) throw new IllegalArgumentException("--module-path is required");
        if (timestamp.getEpochSecond() < 0) throw new IllegalArgumentException("--timestamp before 1970: " + timestamp);
        for (String o : javaOptions) {
            if (o.contains("'")) throw new IllegalArgumentException("--java-option may not contain a single quote: " + o);
        }
        modulePath = List.copyOf(modulePath);
        addJdkModules = List.copyOf(addJdkModules);
        javaOptions = List.copyOf(javaOptions);
        trainArgs = List.copyOf(trainArgs);
        exposedPorts = List.copyOf(exposedPorts);
        for (String p : exposedPorts) {
            var m = PORT.matcher(p);
            if (!m.matches() || Integer.parseInt(m.group(1)) > 65535) {
                throw new IllegalArgumentException("--expose: not port/tcp or port/udp: " + p);
            }
        }
        if (trainClient != null && !TRAIN_CLIENT.matcher(trainClient).matches()) {
            throw new IllegalArgumentException("--train-client: not module/class: " + trainClient);
        }
    }

    /** Convenience for specs without a training run. */
    public ImageSpec(String name, String version, String target, List<Path> modulePath, String mainModule,
                     String mainClass, Path confDir, Path output, Path archive, Instant timestamp,
                     List<String> addJdkModules, List<String> javaOptions, boolean cds) {
        this(name, version, target, modulePath, mainModule, mainClass, confDir, output, archive, timestamp,
                addJdkModules, javaOptions, cds, List.of(), null, null, List.of());
    }

    /** This spec with one more JVM option baked into the launcher (unless it is there already). */
    public ImageSpec withJavaOption(String option) {
        if (javaOptions.contains(option)) return this;
        List<String> options = new ArrayList<>(javaOptions);
        options.add(option);
        return new ImageSpec(name, version, target, modulePath, mainModule, mainClass, confDir, output, archive, timestamp,
                addJdkModules, options, cds, trainArgs, trainClient, ociLayout, exposedPorts);
    }

    /** The OCI image layout's tar, beside the archive: {@code <name>-<version>-oci.tar}; null without one. */
    public Path ociArchive() {
        return ociLayout == null ? null : archive.resolveSibling(topDirectory() + "-oci.tar");
    }

    /** Whether the build makes an AOT cache from a training run. */
    public boolean aotCache() {
        return !trainArgs.isEmpty();
    }

    /** The archive's top directory. */
    public String topDirectory() {
        return name + "-" + version;
    }

    /** Usage text for {@code --help} and argument errors. */
    public static final String USAGE = """
            usage: ImageBuilder --name N --version V --target T --module-path DIR_OR_JAR[%sDIR_OR_JAR...]
                                --main-module M --main-class C --conf-dir DIR --output DIR
                                --archive FILE.tar.gz --timestamp INSTANT
                                [--add-jdk-modules m1,m2] [--java-option OPT]... [--cds true|false]
                                [--train-arg ARG]... [--train-client MODULE/CLASS]
                                [--oci-layout DIR [--expose PORT/tcp|PORT/udp]...]
              INSTANT is an ISO-8601 instant (2026-01-01T00:00:00Z) or seconds since the epoch,
              as in Maven's project.build.outputTimestamp.""".formatted(File.pathSeparator);

    /** Parses the arguments; throws {@link IllegalArgumentException} naming the offending one. */
    public static ImageSpec parse(String... args) {
        String name = null, version = null, target = "socket", mainModule = null, mainClass = null;
        Path confDir = null, output = null, archive = null;
        Instant timestamp = null;
        List<Path> modulePath = new ArrayList<>();
        List<String> jdkModules = new ArrayList<>();
        List<String> javaOptions = new ArrayList<>();
        boolean cds = true;
        List<String> trainArgs = new ArrayList<>();
        String trainClient = null;
        Path ociLayout = null;
        List<String> exposedPorts = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + arg);
            String key, value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                key = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                key = arg.substring(2);
                if (i + 1 >= args.length) throw new IllegalArgumentException(arg + " needs a value");
                value = args[++i];
            }
            switch (key) {
                case "name" -> name = value;
                case "version" -> version = value;
                case "target" -> target = value;
                case "module-path" -> {
                    for (String p : value.split(Pattern.quote(File.pathSeparator))) {
                        if (!p.isBlank()) modulePath.add(Path.of(p));
                    }
                }
                case "main-module" -> mainModule = value;
                case "main-class" -> mainClass = value;
                case "conf-dir" -> confDir = Path.of(value);
                case "output" -> output = Path.of(value);
                case "archive" -> archive = Path.of(value);
                case "timestamp" -> timestamp = parseTimestamp(value);
                case "add-jdk-modules" -> {
                    for (String m : value.split(",")) {
                        if (!m.isBlank()) jdkModules.add(m.strip());
                    }
                }
                case "java-option" -> javaOptions.add(value);
                case "cds" -> cds = switch (value) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("--cds takes true or false, not " + value);
                };
                case "train-arg" -> trainArgs.add(value);
                case "train-client" -> trainClient = value;
                case "oci-layout" -> ociLayout = Path.of(value);
                case "expose" -> exposedPorts.add(value);
                default -> throw new IllegalArgumentException("unknown option: --" + key);
            }
        }
        try {
            return new ImageSpec(name, version, target, modulePath, mainModule, mainClass, confDir, output, archive,
                    timestamp, jdkModules, javaOptions, cds, trainArgs, trainClient, ociLayout, exposedPorts);
        } catch (NullPointerException e) {
            throw new IllegalArgumentException(e.getMessage() + " is required");
        }
    }

    /** Maven's outputTimestamp: an ISO-8601 instant or seconds since the epoch. */
    public static Instant parseTimestamp(String value) {
        try {
            if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) return Instant.ofEpochSecond(Long.parseLong(value));
            return Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("--timestamp: not an ISO-8601 instant or epoch seconds: " + value);
        }
    }
}
