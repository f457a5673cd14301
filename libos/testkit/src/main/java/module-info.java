/**
 * Atoll's testkit, used in test scope by every target and appliance (DESIGN §8): a fake clock, an
 * in-memory link with seeded impairment and a pcap writer, the network contract tests that each
 * target runs through a subclass saying how to boot it, and a network-namespace harness for tests
 * against the Linux kernel.
 */
module atoll.testkit {
    requires transitive atoll.libos;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;

    exports atoll.testkit;
    exports atoll.testkit.contract;
    exports atoll.testkit.netns;

    uses atoll.libos.runtime.TargetProvider;
}
