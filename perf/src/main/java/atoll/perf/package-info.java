/**
 * JMH micro-benchmarks of Atoll's sans-I/O engines (DESIGN §10). Built into
 * {@code perf/target/benchmarks.jar}, run on demand by {@code perf/jmh}; never part of an image and
 * never run by {@code mvn verify}. Numbers are only ever reported, never asserted.
 */
package atoll.perf;
