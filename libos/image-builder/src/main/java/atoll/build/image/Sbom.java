package atoll.build.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The image's CycloneDX SBOM: the CycloneDX Maven plugin's BOM of the appliance's Maven
 * dependencies, completed with what the image holds beside them and Maven cannot see — the JDK
 * modules jlinked into {@code runtime/} (one component each, version the JDK's) and, in the OCI
 * image, the host's glibc that the runtime is linked against.
 *
 * <p>Added components carry the property {@code atoll:image:part} ({@code runtime} or
 * {@code system}) so a reader can tell them from the Maven ones, and the appliance's own
 * component depends on each. Written canonically ({@link Json}) from a canonical input, so the
 * SBOM is as reproducible as the plugin's output.
 */
public final class Sbom {
    private Sbom() {}

    /** CycloneDX property names live in a taxonomy per organisation; ours is "atoll:". */
    static final String PART = "atoll:image:part";

    /** Merges; writes {@code out}; returns it. */
    public static Path write(Path mavenBom, ImageBuilder.Result result, Path out) throws IOException {
        Object parsed = Json.parse(Files.readString(mavenBom, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?> raw) || !"CycloneDX".equals(raw.get("bomFormat"))) {
            throw new IOException(mavenBom + " is not a CycloneDX JSON BOM");
        }
        @SuppressWarnings("unchecked") Map<String, Object> bom = (Map<String, Object>) raw;
        List<Object> components = list(bom, "components");
        List<String> added = new ArrayList<>();
        String jdk = result.jdkVersion();
        for (String module : result.modules().jdkModules()) {
            String ref = "jdk-module:" + module + "@" + jdk;
            Map<String, Object> c = component("library", ref, module, jdk, "runtime");
            c.put("description", "JDK module linked into the image's runtime by jlink");
            c.put("supplier", Map.of("name", System.getProperty("java.vendor", "unknown")));
            components.add(c);
            added.add(ref);
        }
        if (result.oci() != null) {
            String glibc = SystemLibraries.glibcVersion();
            String ref = "system:glibc@" + glibc;
            Map<String, Object> c = component("library", ref, "glibc", glibc, "system");
            c.put("description", "GNU C library files of the OCI image (from the build host): "
                    + String.join(" ", result.oci().systemLibraries().keySet()));
            components.add(c);
            added.add(ref);
        }
        Object metadata = bom.get("metadata");
        if (metadata instanceof Map<?, ?> m && m.get("component") instanceof Map<?, ?> root && root.get("bom-ref") instanceof String rootRef) {
            List<Object> deps = list(bom, "dependencies");
            Map<String, Object> entry = null;
            for (Object d : deps) {
                if (d instanceof Map<?, ?> dm && rootRef.equals(dm.get("ref"))) {
                    @SuppressWarnings("unchecked") Map<String, Object> e = (Map<String, Object>) dm;
                    entry = e;
                }
            }
            if (entry == null) {
                entry = new LinkedHashMap<>();
                entry.put("ref", rootRef);
                deps.add(entry);
            }
            List<Object> dependsOn = list(entry, "dependsOn");
            dependsOn.addAll(added);
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, Json.write(bom) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    /** "N components (M JDK modules, K system)" of a written SBOM. */
    public static String summary(Path sbom) throws IOException {
        Object parsed = Json.parse(Files.readString(sbom, StandardCharsets.UTF_8));
        int all = 0, runtime = 0, system = 0;
        if (parsed instanceof Map<?, ?> m && m.get("components") instanceof List<?> cs) {
            for (Object c : cs) {
                all++;
                String part = part(c);
                if ("runtime".equals(part)) runtime++;
                if ("system".equals(part)) system++;
            }
        }
        return all + " components (" + (all - runtime - system) + " from Maven, " + runtime + " JDK modules, " + system + " system)";
    }

    /** The component names in an SBOM, sorted (for tests and tools). */
    public static TreeSet<String> names(Object bom) {
        TreeSet<String> names = new TreeSet<>();
        if (bom instanceof Map<?, ?> m && m.get("components") instanceof List<?> cs) {
            for (Object c : cs) if (c instanceof Map<?, ?> cm && cm.get("name") instanceof String n) names.add(n);
        }
        return names;
    }

    static String part(Object component) {
        if (component instanceof Map<?, ?> c && c.get("properties") instanceof List<?> props) {
            for (Object p : props) {
                if (p instanceof Map<?, ?> pm && PART.equals(pm.get("name")) && pm.get("value") instanceof String v) return v;
            }
        }
        return null;
    }

    private static Map<String, Object> component(String type, String ref, String name, String version, String part) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("bom-ref", ref);
        c.put("name", name);
        c.put("version", version);
        Map<String, Object> prop = new LinkedHashMap<>();
        prop.put("name", PART);
        prop.put("value", part);
        c.put("properties", List.of(prop));
        return c;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>((List<Object>) l);
            map.put(key, copy);
            return copy;
        }
        List<Object> fresh = new ArrayList<>();
        map.put(key, fresh);
        return fresh;
    }
}
