package atoll.conformance.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.conformance.Feature;
import atoll.conformance.ImageProcess;
import atoll.conformance.Ports;
import atoll.conformance.dns.Attackers.Attack;
import atoll.conformance.dns.Attackers.Service;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack suite of issue 6 against the built image, on loopback: while each attack runs, a
 * well-behaved client from another /24 asks over UDP and over new TCP connections, and the suite
 * asserts that service continued (a share of answers, never a speed); then SIGTERM arrives in the
 * middle of the attack and the image must stop in order (exit 0, its "stopped" line). Each attack
 * is bounded in connections, datagrams and seconds.
 *
 * <p>Each test prints one {@code ATTACK} line with what the client got; the README's resilience
 * section quotes them.
 */
@Tag("dns-server")
@Tag("socket")
@Feature({"tcp-timeouts", "tcp-limits"})
class AttackIT {
    /** Issue 6's bar: at least 98 % of UDP queries answered while the attack runs. */
    static final double UDP_FLOOR = 0.98;
    static final int UDP_QUERIES = 50;
    static final int TCP_QUERIES = 5;
    /** Longest any one attack may run; the tests end them sooner. */
    static final long ATTACK_BOUND_SECONDS = 90;

    @TempDir Path tmp;

    @Test
    void tricklingConnections() throws Exception {
        siege("trickle", List.of(), 5_000, server -> new Attackers.Trickle(server, 600, 2_000, ATTACK_BOUND_SECONDS));
    }

    @Test
    void slowloris() throws Exception {
        siege("slowloris", List.of(), 5_000, server -> new Attackers.Slowloris(server, 600, 10, ATTACK_BOUND_SECONDS));
    }

    @Test
    void neverReadingClients() throws Exception {
        Map<String, Long> metrics = siege("never-reading", List.of(), 12_000,
                server -> new Attackers.NeverReader(server, 8, 200_000, ATTACK_BOUND_SECONDS));
        assertTrue(metrics.getOrDefault("tcp.flows.timeout.write", 0L) > 0,
                "no flow was closed for not reading its answers: " + metrics);
    }

    @Test
    void garbageFloodMixedWithValidQueries() throws Exception {
        siege("garbage", List.of(), 1_000, server -> new Attackers.Garbage(server, 2_000, 20, ATTACK_BOUND_SECONDS));
    }

    /**
     * Starts the image, starts the attack, waits {@code settleMillis} for it to take hold, measures
     * UDP and new-TCP service, sends SIGTERM with the attack still running and checks the orderly
     * stop. Returns the metrics the image printed on its way out.
     */
    Map<String, Long> siege(String name, List<String> extraArgs, long settleMillis, Function<InetSocketAddress, Attack> attack)
            throws Exception {
        int port = Ports.freeTcpAndUdp();
        InetSocketAddress server = new InetSocketAddress(Ports.LOOPBACK, port);
        List<String> args = new ArrayList<>(List.of("--listen=127.0.0.1", "--state.dir=" + tmp.resolve("state")));
        args.addAll(extraArgs);
        try (ImageProcess p = Dns.start(tmp.resolve("server.log"), port, args.toArray(String[]::new))) {
            Service udp;
            Service tcp;
            String attackCounts;
            String log;
            try (Attack a = attack.apply(server)) {
                Attackers.pause(settleMillis);
                udp = Attackers.udpProbe(server, UDP_QUERIES, 100);
                tcp = Attackers.tcpProbe(server, TCP_QUERIES);
                attackCounts = a.counts();
                // SIGTERM in the middle of the attack: exit 0 and the "stopped" line, or the test fails.
                log = p.stop();
            }
            Map<String, Long> metrics = metrics(log);
            System.out.println("ATTACK " + name + ": udp answered " + udp + ", new tcp answered " + tcp + "; exit 0"
                    + "; attacker: " + attackCounts + "; server metrics: " + metrics);
            assertTrue(log.lines().anyMatch(l -> l.endsWith("stopped")), name + ": no orderly stop:\n" + log);
            assertTrue(udp.fraction() >= UDP_FLOOR, name + ": UDP answered only " + udp + " during the attack");
            assertEquals(tcp.asked(), tcp.answered(), name + ": new TCP connections answered only " + tcp);
            return metrics;
        }
    }

    /** The counters from the image's {@code metrics: a=1 b=2} line at stop. */
    static Map<String, Long> metrics(String log) {
        Map<String, Long> out = new LinkedHashMap<>();
        log.lines().filter(l -> l.contains("metrics: ")).reduce((a, b) -> b).ifPresent(line -> {
            for (String kv : line.substring(line.indexOf("metrics: ") + 9).split(" ")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    try {
                        out.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                    } catch (NumberFormatException ignored) {
                        // not a counter
                    }
                }
            }
        });
        return out;
    }
}
