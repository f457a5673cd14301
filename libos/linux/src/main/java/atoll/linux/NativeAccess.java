package atoll.linux;

/**
 * Whether this module's system calls can be used here: on Linux, with native access granted to
 * this module ({@code --enable-native-access=atoll.linux} in an image, {@code ALL-UNNAMED} on the
 * class path), and with the C library's entry points found. A caller with a portable fallback (the
 * socket target's java.nio path) asks first, so that an image without the option neither warns
 * nor fails. Loading this class touches no native code.
 */
public final class NativeAccess {
    private NativeAccess() {}

    private static final String UNAVAILABLE = probe();

    /** Null when the system calls are usable; otherwise why not, in a few words for a log line. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** True when {@link #unavailableReason()} is null. */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    private static String probe() {
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) {
            return "not Linux (" + os + ")";
        }
        Module self = NativeAccess.class.getModule();
        if (!self.isNativeAccessEnabled()) {
            return "native access is not enabled for " + (self.isNamed() ? self.getName() : "the class path")
                    + " (--enable-native-access=" + (self.isNamed() ? self.getName() : "ALL-UNNAMED") + ")";
        }
        try {
            // Looks the symbols up without linking them: Syscalls links each on first use.
            java.lang.foreign.SymbolLookup libc = java.lang.foreign.Linker.nativeLinker().defaultLookup();
            for (String symbol : new String[] {"recvmmsg", "sendmmsg", "epoll_wait", "eventfd", "socket"}) {
                if (libc.find(symbol).isEmpty()) {
                    return "the C library has no " + symbol;
                }
            }
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "the C library's system calls could not be found: " + e;
        }
    }
}
