package atoll.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * deploy/k8s/&lt;appliance&gt;/*.yaml, checked offline: every workload is non-root, read-only, with no
 * capability, probed over TCP on a port it declares, bounded in CPU and memory, and runs the
 * locally loaded OCI image; every reference (volume, ConfigMap, Secret, Service selector and
 * port) resolves; every configuration key a ConfigMap or an argument sets is one the appliance's
 * own {@code --help} lists.
 */
class KubernetesManifestTest {
    static final List<String> STOCK = Appliances.STOCK;
    private static final Pattern HELP_KEY = Pattern.compile("^  ([a-z0-9][a-z0-9.\\-]*)\\s", Pattern.MULTILINE);
    private static final Pattern ARG_KEY = Pattern.compile("^--([a-z0-9][a-z0-9.\\-]*)=(.*)$");

    @ParameterizedTest
    @FieldSource("STOCK")
    void manifestsAreSafeAndConsistent(String appliance) throws Exception {
        List<Map<String, Object>> docs = documents(appliance);
        Map<String, Map<String, Object>> configMaps = byKind(docs, "ConfigMap");
        Map<String, Map<String, Object>> secrets = byKind(docs, "Secret");
        List<Map<String, Object>> workloads = new ArrayList<>(byKind(docs, "Deployment").values());
        workloads.addAll(byKind(docs, "StatefulSet").values());
        assertFalse(workloads.isEmpty(), appliance + ": no Deployment or StatefulSet");
        assertFalse(byKind(docs, "Service").isEmpty(), appliance + ": no Service");
        assertFalse(configMaps.isEmpty(), appliance + ": no ConfigMap");
        Set<String> helpKeys = helpKeys(appliance);

        List<Map<String, Object>> templateLabels = new ArrayList<>();
        List<Set<String>> portNames = new ArrayList<>();
        for (Map<String, Object> w : workloads) {
            String where = appliance + " " + str(w, "kind") + " " + str(w, "metadata", "name");
            assertEquals(map(w, "spec", "selector", "matchLabels"), map(w, "spec", "template", "metadata", "labels"), where);
            templateLabels.add(map(w, "spec", "template", "metadata", "labels"));
            Map<String, Object> pod = map(w, "spec", "template", "spec");
            assertEquals("true", str(pod, "securityContext", "runAsNonRoot"), where);
            assertEquals("false", str(pod, "automountServiceAccountToken"), where);
            assertFalse(pod.containsKey("hostNetwork") || pod.containsKey("hostPID"), where);

            Set<String> volumes = new HashSet<>();
            for (Object v : list(pod, "volumes")) {
                Map<String, Object> vol = cast(v);
                volumes.add(str(vol, "name"));
                if (vol.containsKey("configMap")) {
                    assertTrue(configMaps.containsKey(str(vol, "configMap", "name")), where + ": volume names a missing ConfigMap");
                }
                if (vol.containsKey("secret")) {
                    assertTrue(secrets.containsKey(str(vol, "secret", "secretName")), where + ": volume names a missing Secret");
                }
            }
            if (map(w, "spec").containsKey("volumeClaimTemplates")) {
                for (Object c : list(w, "spec", "volumeClaimTemplates")) volumes.add(str(cast(c), "metadata", "name"));
            }

            for (Object c : list(pod, "containers")) {
                Map<String, Object> container = cast(c);
                String cw = where + " container " + str(container, "name");
                assertEquals("localhost/" + appliance + ":" + System.getProperty("atoll.version"), str(container, "image"), cw);
                assertEquals("Never", str(container, "imagePullPolicy"), cw);
                assertEquals("true", str(container, "securityContext", "readOnlyRootFilesystem"), cw);
                assertEquals("false", str(container, "securityContext", "allowPrivilegeEscalation"), cw);
                assertEquals("true", str(container, "securityContext", "runAsNonRoot"), cw);
                assertFalse(str(container, "securityContext", "runAsUser").equals("0"), cw);
                assertEquals(List.of("ALL"), list(container, "securityContext", "capabilities", "drop"), cw);
                assertFalse(map(container, "securityContext", "capabilities").containsKey("add"), cw);
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertNotNull(str(container, "resources", bound, resource), cw + " " + bound + "." + resource);
                    }
                }
                Set<String> ports = new HashSet<>();
                for (Object p : list(container, "ports")) {
                    ports.add(str(cast(p), "name"));
                    ports.add(str(cast(p), "containerPort"));
                }
                portNames.add(ports);
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    Map<String, Object> pr = map(container, probe);
                    // No shell in the image: an exec probe could not run.
                    assertFalse(pr.containsKey("exec"), cw + " " + probe + " uses exec");
                    assertTrue(ports.contains(str(pr, "tcpSocket", "port")), cw + " " + probe + " probes an undeclared port");
                }
                Map<String, String> mounts = new HashMap<>();
                for (Object m : list(container, "volumeMounts")) {
                    assertTrue(volumes.contains(str(cast(m), "name")), cw + ": mount of a missing volume " + str(cast(m), "name"));
                    mounts.put(str(cast(m), "mountPath"), str(cast(m), "name"));
                }
                assertTrue(mounts.containsKey("/tmp"), cw + ": the JVM needs a writable /tmp on a read-only root");
                Map<String, String> env = new HashMap<>();
                if (container.containsKey("env")) {
                    for (Object e : list(container, "env")) {
                        Map<String, Object> ref = map(cast(e), "valueFrom", "secretKeyRef");
                        Map<String, Object> secret = secrets.get(str(ref, "name"));
                        assertNotNull(secret, cw + ": env from a missing Secret");
                        assertTrue(map(secret, "stringData").containsKey(str(ref, "key")), cw + ": env from a missing Secret key");
                        env.put(str(cast(e), "name"), str(ref, "key"));
                    }
                }
                checkConfiguration(cw, container, pod, configMaps, mounts, env, helpKeys);
            }
        }
        for (Map<String, Object> s : byKind(docs, "Service").values()) {
            String where = appliance + " Service " + str(s, "metadata", "name");
            Map<String, Object> selector = map(s, "spec", "selector");
            int matched = -1;
            for (int i = 0; i < templateLabels.size(); i++) {
                if (templateLabels.get(i).entrySet().containsAll(selector.entrySet())) matched = i;
            }
            assertTrue(matched >= 0, where + ": selects no workload");
            for (Object p : list(s, "spec", "ports")) {
                assertTrue(portNames.get(matched).contains(str(cast(p), "targetPort")), where + ": unknown targetPort");
            }
        }
    }

    /** The file --config names is a ConfigMap entry mounted there; its keys and the arguments' are in --help. */
    private static void checkConfiguration(String where, Map<String, Object> container, Map<String, Object> pod,
            Map<String, Map<String, Object>> configMaps, Map<String, String> mounts, Map<String, String> env,
            Set<String> helpKeys) {
        Map<String, String> settings = new HashMap<>();
        String configFile = null;
        for (Object a : list(container, "args")) {
            Matcher m = ARG_KEY.matcher((String) a);
            assertTrue(m.matches(), where + ": argument not --key=value: " + a);
            if (m.group(1).equals("config")) { configFile = m.group(2); continue; }
            settings.put(m.group(1), m.group(2));
            Matcher var = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(m.group(2));
            while (var.find()) assertTrue(env.containsKey(var.group(1)), where + ": $(" + var.group(1) + ") is not set");
        }
        assertNotNull(configFile, where + ": no --config");
        Path file = Path.of(configFile);
        String volume = mounts.get(file.getParent().toString());
        assertNotNull(volume, where + ": nothing mounted at " + file.getParent());
        String configMap = null;
        for (Object v : list(pod, "volumes")) {
            if (str(cast(v), "name").equals(volume)) configMap = str(cast(v), "configMap", "name");
        }
        String text = str(configMaps.get(configMap), "data", file.getFileName().toString());
        assertNotNull(text, where + ": ConfigMap " + configMap + " has no " + file.getFileName());
        for (String line : text.lines().toList()) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            int eq = t.indexOf('=');
            assertTrue(eq > 0, where + ": not 'key = value': " + line);
            settings.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
        }
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(helpKeys);
        assertTrue(unknown.isEmpty(), where + ": keys the appliance's --help does not list: " + unknown
                + (unknown.contains("secondary") ? " (dns-server gets them from branch dns-xfr)" : ""));
        // The read-write store is the mounted state volume.
        assertEquals("state", mounts.get(settings.get("state.dir")), where + ": state.dir is not the state volume");
    }

    /** The checker's reader refuses YAML outside its subset instead of misreading it. */
    @Test
    void readerRefusesWhatItDoesNotKnow() {
        assertThrows(IllegalArgumentException.class, () -> MiniYaml.documents("a: {b: c}\n"));
        assertThrows(IllegalArgumentException.class, () -> MiniYaml.documents("a: &x b\n"));
        assertThrows(IllegalArgumentException.class, () -> MiniYaml.documents("a:\n  b: c\n d: e\n"));
        assertThrows(IllegalArgumentException.class, () -> MiniYaml.documents("a: b\na: c\n"));
        assertEquals(List.of(Map.of("a", Map.of("b", List.of(Map.of("c", "1", "d", "x: y\n# z\n")), "e", "f g"))),
                MiniYaml.documents("# c\na:\n  b:\n    - c: \"1\"\n      d: |\n        x: y\n        # z\n  e: f g # note\n"));
    }

    /** The checks above can fail: a manifest that adds a capability, or sets an unknown key, is refused. */
    @Test
    void checkerRefusesABrokenManifest() throws Exception {
        String good = Files.readString(Appliances.deploy().resolve("k8s/https-static/https-static.yaml"));
        for (String broken : List.of(
                good.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"),
                good.replace("              drop:\n                - ALL\n", "              drop:\n                - ALL\n              add:\n                - NET_ADMIN\n"),
                good.replace("http.redirect = true", "http.redirects = true"),
                good.replace("targetPort: https\n", "targetPort: httpz\n"))) {
            assertFalse(good.equals(broken), "the replacement did not apply");
            Path dir = Files.createTempDirectory("k8s");
            try {
                Files.writeString(dir.resolve("https-static.yaml"), broken);
                AssertionError e = assertThrows(AssertionError.class, () -> check("https-static", dir));
                assertFalse(String.valueOf(e.getMessage()).contains("build the images"), e.getMessage());
            } finally {
                Files.delete(dir.resolve("https-static.yaml"));
                Files.delete(dir);
            }
        }
    }

    private void check(String appliance, Path dir) throws Exception {
        Path saved = override;
        override = dir;
        try {
            manifestsAreSafeAndConsistent(appliance);
        } finally {
            override = saved;
        }
    }

    private Path override;

    private List<Map<String, Object>> documents(String appliance) throws IOException {
        Path dir = override != null ? override : Appliances.deploy().resolve("k8s").resolve(appliance);
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try {
                    docs.addAll(MiniYaml.documents(Files.readString(f)));
                } catch (IllegalArgumentException e) {
                    throw new AssertionError(f + ": " + e.getMessage(), e);
                }
            }
        }
        return docs;
    }

    private static Set<String> helpKeys(String appliance) throws Exception {
        Appliances.Result help = Appliances.run(List.of(Appliances.launcher(appliance).toString(), "--help"),
                Appliances.root(), 60);
        assertEquals(0, help.status(), help.output());
        Set<String> keys = new HashSet<>();
        Matcher m = HELP_KEY.matcher(help.output());
        while (m.find()) keys.add(m.group(1));
        assertTrue(keys.contains("state.dir") && keys.contains("log.level"), "--help not understood:\n" + help.output());
        return keys;
    }

    private static Map<String, Map<String, Object>> byKind(List<Map<String, Object>> docs, String kind) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> d : docs) {
            if (kind.equals(d.get("kind"))) {
                assertEquals(null, out.put(str(d, "metadata", "name"), d), "two " + kind + "s named " + str(d, "metadata", "name"));
            }
        }
        return out;
    }

    private static Object at(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            if (!(n instanceof Map<?, ?> m) || !m.containsKey(p)) {
                throw new AssertionError("missing " + String.join(".", path));
            }
            n = m.get(p);
        }
        return n;
    }

    private static String str(Object node, String... path) {
        return (String) at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String... path) {
        return (Map<String, Object>) at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node, String... path) {
        return (List<Object>) at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
