package atoll.build.maven;

import atoll.build.image.ImageBuilder;
import atoll.build.image.ImageSpec;
import atoll.build.image.Sbom;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code atoll:image}: the appliance image (DESIGN §7) from the project's jar and its runtime
 * dependencies, at {@code package}, after the jar. Writes, under {@code target/}:
 * <pre>
 * image/                              the image: runtime/, app/, conf/, bin/&lt;name&gt;, manifest.json
 * &lt;name&gt;-&lt;version&gt;.tar.gz (+ .sha256)   the reproducible archive of image/
 * &lt;name&gt;-&lt;version&gt;-dbgsym.tar.gz       the runtime's native symbols
 * oci/, &lt;name&gt;-&lt;version&gt;-oci.tar        the OCI image layout and its tar
 * &lt;name&gt;-&lt;version&gt;.cdx.json            the image's CycloneDX SBOM (when the CycloneDX plugin ran)
 * </pre>
 * An appliance's pom sets {@code mainModule}, {@code mainClass} and {@code targets}; the name is
 * the artifactId unless set. The work is libos/image-builder's ({@link ImageBuilder}); this class
 * only maps the project onto an {@link ImageSpec}.
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public final class ImageMojo extends AbstractMojo {

    /** The appliance's name: the launcher {@code bin/<name>} and its configuration {@code conf/<name>.conf}. */
    @Parameter(defaultValue = "${project.artifactId}", required = true)
    private String name;

    @Parameter(defaultValue = "${project.version}", readonly = true, required = true)
    private String version;

    /** The module holding the main class. */
    @Parameter(required = true)
    private String mainModule;

    /** The main class, fully qualified. */
    @Parameter(required = true)
    private String mainClass;

    /** The libos targets the image carries, the default first (e.g. {@code socket,tap}). */
    @Parameter(defaultValue = "socket", required = true)
    private String targets;

    /** Default configuration directory: {@code <name>.conf} and data beside it. */
    @Parameter(defaultValue = "${project.basedir}/src/main/conf", required = true)
    private File confDir;

    /** Ports the OCI image declares ({@code 5300/udp}, {@code 5300/tcp}). */
    @Parameter
    private List<String> ports = List.of();

    /** Extra JVM options baked into the launcher and the OCI entry point. */
    @Parameter
    private List<String> javaOptions = List.of();

    /** JDK modules to link although no module requires them. */
    @Parameter
    private List<String> addJdkModules = List.of();

    /** Appliance arguments for the training run that makes the AOT cache ({@code {port}}: a free loopback port). */
    @Parameter
    private List<String> trainArgs = List.of();

    /** {@code module/class} that sends the training run a few requests. */
    @Parameter
    private String trainClient;

    /** Whether jlink writes a CDS archive. */
    @Parameter(defaultValue = "true")
    private boolean cds;

    /** Whether to write the OCI image. */
    @Parameter(property = "atoll.oci", defaultValue = "true")
    private boolean oci;

    @Parameter(property = "image.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project.build.outputTimestamp}", required = true)
    private String outputTimestamp;

    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    /**
     * The Maven part of the SBOM: the CycloneDX plugin's JSON output (the root pom binds its
     * {@code makeBom} to {@code prepare-package} and names it so). Absent: no SBOM is written.
     */
    @Parameter(defaultValue = "${project.build.directory}/${project.artifactId}-${project.version}-maven.cdx.json", required = true)
    private File mavenBom;

    /** When this build started: a Maven BOM older than that is a previous build's. */
    @Parameter(defaultValue = "${session.request.startTime}", readonly = true, required = true)
    private Date buildStarted;

    @Parameter(defaultValue = "${project.artifact}", readonly = true, required = true)
    private Artifact artifact;

    @Parameter(defaultValue = "${project.artifacts}", readonly = true, required = true)
    private Set<Artifact> artifacts;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("atoll:image skipped (image.skip)");
            return;
        }
        ImageSpec spec = spec();
        try {
            ImageBuilder.Result result = ImageBuilder.build(spec);
            getLog().info(result.summary());
            Path sbom = Path.of(buildDirectory.getPath(), spec.topDirectory() + ".cdx.json");
            if (mavenBom.isFile() && mavenBom.lastModified() >= buildStarted.getTime()) {
                Sbom.write(mavenBom.toPath(), result, sbom);
                getLog().info("[image] SBOM " + sbom.getFileName() + ": " + Sbom.summary(sbom));
            } else {
                // Never a stale SBOM beside a new image.
                Files.deleteIfExists(sbom);
                getLog().warn("[image] no SBOM: " + mavenBom + (mavenBom.isFile() ? " is from an earlier build" : " is missing")
                        + " (the CycloneDX plugin's makeBom writes it at prepare-package; it skips itself in offline mode)");
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new MojoExecutionException("atoll:image: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("atoll:image: " + e.getMessage(), e);
        }
    }

    private ImageSpec spec() throws MojoFailureException {
        File jar = artifact.getFile();
        if (jar == null || !jar.isFile() || !jar.getName().endsWith(".jar")) {
            throw new MojoFailureException("atoll:image runs after the jar is packaged; the project's artifact is " + jar);
        }
        List<Path> modulePath = new ArrayList<>();
        // The image holds what runs: compile and runtime scope (not provided, system or test).
        List<Artifact> runtime = new ArrayList<>();
        for (Artifact a : artifacts) {
            String scope = a.getScope();
            if ((Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope)) && "jar".equals(a.getType())) {
                runtime.add(a);
            }
        }
        runtime.sort(Comparator.comparing(Artifact::getId));
        for (Artifact a : runtime) {
            if (a.getFile() == null || !a.getFile().isFile()) {
                throw new MojoFailureException("dependency " + a.getId() + " is not packaged (" + a.getFile()
                        + "): atoll:image needs jars; run the package phase");
            }
            modulePath.add(a.getFile().toPath());
        }
        modulePath.add(jar.toPath());
        Path target = buildDirectory.toPath();
        try {
            return new ImageSpec(name, version, targets, modulePath, mainModule, mainClass, confDir.toPath(),
                    target.resolve("image"), target.resolve(name + "-" + version + ".tar.gz"), timestamp(),
                    addJdkModules, javaOptions, cds, trainArgs, trainClient, oci ? target.resolve("oci") : null, ports);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MojoFailureException("atoll:image: " + e.getMessage(), e);
        }
    }

    /** Maven's project.build.outputTimestamp: ISO-8601 or epoch seconds (as ImageSpec reads it). */
    private Instant timestamp() throws MojoFailureException {
        try {
            return ImageSpec.parseTimestamp(outputTimestamp);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("project.build.outputTimestamp: " + e.getMessage(), e);
        }
    }
}
