package atoll.perf;

import atoll.stack.tcp.CongestionAlgorithm;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link TcpBulkBenchmark} transfer timed by the thread's CPU time instead of the wall clock,
 * for a "per core" figure on a machine shared with other work (where JMH's wall-clock throughput
 * also counts the time the thread waited for a CPU). Run:
 * {@code java -cp perf/target/benchmarks.jar atoll.perf.TcpBulkCpuTime [seconds]}.
 */
public final class TcpBulkCpuTime {
    private TcpBulkCpuTime() {}

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        TcpBulkBenchmark b = new TcpBulkBenchmark();
        b.cc = CongestionAlgorithm.CUBIC;
        b.setUp();
        TcpBulkBenchmark.Counters counters = new TcpBulkBenchmark.Counters();
        long warmEnd = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            b.transfer(counters);
        }
        for (int round = 0; round < 5; round++) {
            counters.reset();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long ops = 0;
            while (System.nanoTime() - wall0 < seconds * 1_000_000_000L / 5) {
                b.transfer(counters);
                ops++;
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            double bits = ops * (double) TcpBulkBenchmark.CHUNK * 8;
            System.out.printf("round %d: %d ops, %.2f Gbit/s per CPU second, %.2f Gbit/s wall clock, %.1f segments/op%n",
                    round, ops, bits / cpu, bits / wall, (double) counters.segments / ops);
        }
        b.tearDown();
    }
}
