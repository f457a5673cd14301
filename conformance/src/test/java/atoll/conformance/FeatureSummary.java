package atoll.conformance;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * A JUnit Platform listener (registered in {@code META-INF/services}) that records, for every
 * suite test, the appliance (its package), the target (its {@code socket}/{@code tap} tag), the
 * {@link Feature} ids and the outcome; at the end of each test plan it writes the per-feature
 * table ({@link SummaryTable}) to the file named by the system property
 * {@code atoll.conformance.summary}. Without that property (the unit-test run) it does nothing.
 * A class whose set-up or tear-down fails (the image did not start, or did not stop with status 0)
 * fails every feature its tests name.
 */
public final class FeatureSummary implements TestExecutionListener {
    static final String SUMMARY_PROPERTY = "atoll.conformance.summary";
    /** How much of a failure's message the summary shows. */
    static final int MESSAGE_LENGTH = 200;

    /** One outcome of one test for one feature. */
    public record Outcome(Appliance appliance, OnTarget target, String feature, String test, Result result, String message) {}

    public enum Result { PASS, FAIL, SKIPPED }

    /** Outcomes of this JVM's run; static so that every test plan the provider runs adds to one table. */
    private static final List<Outcome> OUTCOMES = new ArrayList<>();

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        record(id, Result.SKIPPED, reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Result r = switch (result.getStatus()) {
            case SUCCESSFUL -> Result.PASS;
            case FAILED -> Result.FAIL;
            case ABORTED -> Result.SKIPPED;
        };
        String message = result.getThrowable().map(FeatureSummary::brief).orElse("");
        if (id.isTest() || r == Result.FAIL) {
            record(id, r, message);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        String file = System.getProperty(SUMMARY_PROPERTY, "");
        if (file.isEmpty()) {
            return;
        }
        try {
            List<Outcome> all;
            synchronized (OUTCOMES) {
                all = List.copyOf(OUTCOMES);
            }
            Path out = Path.of(file);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, SummaryTable.render(all, selected()));
        } catch (IOException | RuntimeException e) {
            System.err.println("conformance summary not written: " + e);
        }
    }

    /** The appliances asked for ({@code atoll.conformance.appliances}, comma-separated; empty: all). */
    static List<Appliance> selected() {
        String names = System.getProperty("atoll.conformance.appliances", "").strip();
        if (names.isEmpty()) {
            return List.of(Appliance.values());
        }
        List<Appliance> out = new ArrayList<>();
        for (String n : names.split(",")) {
            Appliance.named(n.strip()).ifPresent(out::add);
        }
        return out;
    }

    private void record(TestIdentifier id, Result result, String message) {
        Optional<TestSource> source = id.getSource();
        if (source.isEmpty()) {
            return;
        }
        Class<?> testClass;
        Set<String> features = new LinkedHashSet<>();
        String test;
        if (source.get() instanceof MethodSource m) {
            testClass = load(m.getClassName());
            if (testClass == null) {
                return;
            }
            features.addAll(classFeatures(testClass));
            try {
                features.addAll(features(m.getJavaMethod().getAnnotation(Feature.class)));
            } catch (RuntimeException noSuchMethod) {
                // A method JUnit found is there; nothing to add if reflection disagrees.
            }
            test = testClass.getSimpleName() + "." + m.getMethodName()
                    + (id.getDisplayName().startsWith(m.getMethodName()) ? "" : " [" + id.getDisplayName() + "]");
        } else if (source.get() instanceof ClassSource c && result == Result.FAIL) {
            // Set-up or tear-down of the class failed: every feature its tests check fails.
            testClass = load(c.getClassName());
            if (testClass == null) {
                return;
            }
            features.addAll(classFeatures(testClass));
            for (Class<?> k = testClass; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Method method : k.getDeclaredMethods()) {
                    features.addAll(features(method.getAnnotation(Feature.class)));
                }
            }
            test = testClass.getSimpleName() + " (set-up or tear-down)";
        } else {
            return;
        }
        Optional<Appliance> appliance = Appliance.ofPackage(testClass.getPackageName());
        if (appliance.isEmpty()) {
            return;
        }
        OnTarget target = targetOf(testClass).orElse(OnTarget.SOCKET);
        synchronized (OUTCOMES) {
            for (String f : features.isEmpty() ? Set.of("") : features) {
                OUTCOMES.add(new Outcome(appliance.get(), target, f, test, result, message));
            }
        }
    }

    /** The start of a failure's message on one line: enough to see what failed; the XML has the rest. */
    static String brief(Throwable t) {
        String m = String.valueOf(t.getMessage()).strip().replaceAll("\\s+", " ");
        return m.length() <= MESSAGE_LENGTH ? m : m.substring(0, MESSAGE_LENGTH - 1) + "…";
    }

        static Optional<OnTarget> targetOf(Class<?> testClass) {
        return Arrays.stream(testClass.getAnnotationsByType(Tag.class)).map(Tag::value).map(OnTarget::named)
                .flatMap(Optional::stream).findFirst();
    }

    static Set<String> classFeatures(Class<?> testClass) {
        Set<String> out = new LinkedHashSet<>();
        for (Class<?> k = testClass; k != null && k != Object.class; k = k.getSuperclass()) {
            out.addAll(features(k.getAnnotation(Feature.class)));
        }
        return out;
    }

    static List<String> features(Feature f) {
        return f == null ? List.of() : List.of(f.value());
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
