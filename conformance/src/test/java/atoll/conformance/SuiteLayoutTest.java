package atoll.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.FeatureMap.Entry;
import atoll.conformance.FeatureMap.Status;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keeps the suites, each appliance's {@code features.txt} and its CONFORMANCE.md in step (no
 * image needed): every line of the map names words CONFORMANCE.md has; every feature row and bold
 * bullet of CONFORMANCE.md has a line; every suite class carries its appliance's tag and one
 * target tag; every test names features, all of them {@code suite} features of its appliance; and
 * every {@code suite} feature is checked by some test.
 */
class SuiteLayoutTest {

    @ParameterizedTest
    @EnumSource(Appliance.class)
    void featureMapMatchesConformanceMd(Appliance appliance) throws Exception {
        FeatureMap map = FeatureMap.load(appliance);
        ConformanceDoc doc = ConformanceDoc.read(appliance.conformanceMd());
        List<String> problems = new ArrayList<>();
        for (Entry e : map.entries()) {
            if (!doc.mentions(e.text())) {
                problems.add(appliance.featuresResource() + ":" + e.line() + ": '" + e.text() + "' is not in " + doc.path());
            }
        }
        for (ConformanceDoc.Item item : doc.items()) {
            List<Entry> named = map.entries().stream().filter(e -> e.text().equals(item.text())).toList();
            if (named.isEmpty()) {
                problems.add(doc.path() + ":" + item.line() + ": no line in " + appliance.featuresResource()
                        + " for it; add '<id> | " + (item.bold() ? "unsupported" : "suite|module|untested") + " | "
                        + item.text() + "'");
            } else if (item.bold() && named.stream().anyMatch(e -> e.status() == Status.SUITE || e.status() == Status.MODULE)) {
                problems.add(doc.path() + ":" + item.line() + ": '" + item.text()
                        + "' is in bold (not done) but mapped as tested: make it unsupported or untested");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @EnumSource(Appliance.class)
    void everySuiteIsTaggedAndEveryFeatureKnown(Appliance appliance) throws Exception {
        FeatureMap map = FeatureMap.load(appliance);
        List<String> problems = new ArrayList<>();
        Set<String> checked = new LinkedHashSet<>();
        for (Class<?> suite : suites(appliance)) {
            List<String> tags = Arrays.stream(suite.getAnnotationsByType(Tag.class)).map(Tag::value).toList();
            if (!tags.contains(appliance.tag())) {
                problems.add(suite.getSimpleName() + ": no @Tag(\"" + appliance.tag() + "\") (its package is " + appliance.javaPackage() + ")");
            }
            long targets = tags.stream().filter(t -> OnTarget.named(t).isPresent()).count();
            if (targets != 1) {
                problems.add(suite.getSimpleName() + ": wants exactly one target tag (socket or tap), has " + tags);
            }
            for (Method m : testMethods(suite)) {
                Set<String> features = new LinkedHashSet<>(FeatureSummary.classFeatures(suite));
                features.addAll(FeatureSummary.features(m.getAnnotation(Feature.class)));
                if (features.isEmpty()) {
                    problems.add(suite.getSimpleName() + "." + m.getName() + ": no @Feature");
                }
                for (String f : features) {
                    if (map.get(f).filter(e -> e.status() == Status.SUITE).isEmpty()) {
                        problems.add(suite.getSimpleName() + "." + m.getName() + ": '" + f + "' is no suite feature in "
                                + appliance.featuresResource());
                    }
                    checked.add(f);
                }
            }
        }
        for (Entry e : map.withStatus(Status.SUITE)) {
            if (!checked.contains(e.id())) {
                problems.add(appliance.featuresResource() + ":" + e.line() + ": '" + e.id()
                        + "' is a suite feature but no test names it (tag one, or make it module/untested)");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everySuiteClassBelongsToAnAppliance() throws Exception {
        List<String> strays = new ArrayList<>();
        for (Class<?> c : compiledClasses()) {
            if (c.getSimpleName().endsWith("IT") && Appliance.ofPackage(c.getPackageName()).isEmpty()) {
                strays.add(c.getName());
            }
        }
        assertEquals(List.of(), strays, "suites outside atoll.conformance.<appliance package>");
        assertTrue(suites(Appliance.DNS_SERVER).size() >= 7, "the dns-server suites were not found");
    }

    /** The concrete {@code *IT} classes of the appliance's package, from this module's compiled tests. */
    static List<Class<?>> suites(Appliance appliance) throws Exception {
        return compiledClasses().stream()
                .filter(c -> Appliance.ofPackage(c.getPackageName()).orElse(null) == appliance)
                .filter(c -> c.getSimpleName().endsWith("IT") && !Modifier.isAbstract(c.getModifiers()))
                .toList();
    }

    static List<Class<?>> compiledClasses() throws Exception {
        Path root = Path.of(SuiteLayoutTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$")).sorted().toList()) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                out.add(Class.forName(name, false, SuiteLayoutTest.class.getClassLoader()));
            }
        }
        return out;
    }

    /** Methods JUnit runs as tests, declared on the class or inherited. */
    static List<Method> testMethods(Class<?> suite) {
        List<Method> out = new ArrayList<>();
        for (Class<?> k = suite; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class)) {
                    out.add(m);
                }
            }
        }
        return out;
    }
}
