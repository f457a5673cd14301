/**
 * Atoll's testkit, used in test scope by every target and appliance (DESIGN §8): a fake clock, an
 * in-memory link with seeded impairment and a pcap writer, and the network contract tests that
 * each target runs through a subclass saying how to boot it.
 */
module atoll.testkit {
    requires transitive atoll.libos;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;

    exports atoll.testkit;
    exports atoll.testkit.contract;

    uses atoll.libos.runtime.TargetProvider;
}
