package atoll.libos.runtime;

/** Runs {@link FakeAppliance} with {@link Launcher#run} in a child JVM, for {@link SignalTest}. */
final class SignalTestMain {
    private SignalTestMain() {}

    public static void main(String[] args) {
        System.exit(Launcher.run(new FakeAppliance(), "9.9", args, new FakeTarget(), System.out, System.err));
    }
}
