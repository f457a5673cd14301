package atoll.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The protocol features a suite's test checks: ids from its appliance's {@code features.txt}
 * (under {@code src/test/resources/atoll/conformance/<package>/}), each naming one entry of the
 * appliance's CONFORMANCE.md. On a class it applies to every test of the class (and of its
 * subclasses), on a method to that test; both add up. {@link FeatureSummary} turns the results into
 * the per-feature table, and {@code SuiteLayoutTest} checks that every id exists.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Feature {
    String[] value();
}
