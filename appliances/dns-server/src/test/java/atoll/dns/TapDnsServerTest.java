package atoll.dns;

import atoll.libos.runtime.TargetProvider;
import atoll.linux.NetworkNamespaceThread;
import atoll.testkit.Targets;
import atoll.testkit.netns.NetworkNamespace;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * {@link DnsServerTest} on the tap target, the Linux kernel as the peer: a network namespace made
 * for this class holds the TAP device {@code atoll0} with the kernel's side at 192.0.2.1/24. Each
 * test runs on a thread inside the namespace ({@code setns}), so the appliance's target boots
 * there (as 192.0.2.2/24) and dnsjava's and the test's sockets are the namespace's. IPv4 only: the
 * stack has no IPv6.
 */
@ExtendWith(TapDnsServerTest.InsideTheNamespace.class)
class TapDnsServerTest extends DnsServerTest {
    private static NetworkNamespace ns;
    private static NetworkNamespaceThread inside;

    @BeforeAll
    static void createNamespace() throws Exception {
        ns = NetworkNamespace.create();
        ns.ip("tuntap", "add", "dev", "atoll0", "mode", "tap");
        ns.ip("address", "add", "192.0.2.1/24", "dev", "atoll0");
        ns.ip("link", "set", "atoll0", "up");
        inside = new NetworkNamespaceThread(ns.name());
    }

    @AfterAll
    static void deleteNamespace() {
        try {
            if (inside != null) {
                inside.close();
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    static List<Integer> families() {
        return List.of(4);
    }

    @Override
    protected boolean hasIpv6() {
        return false;
    }

    @Override
    protected TargetProvider target() {
        return Targets.named("tap");
    }

    @Override
    protected String listen() {
        return "192.0.2.2";
    }

    @Override
    protected List<String> targetArgs() {
        return List.of("--tap.device=atoll0", "--ipv4=192.0.2.2/24", "--mac=02:00:00:00:00:02");
    }

    /** Runs each test method (and the stop after it) on the namespace's thread. */
    static final class InsideTheNamespace implements InvocationInterceptor {
        private static void run(Invocation<Void> invocation) throws Throwable {
            try {
                inside.call(() -> {
                    try {
                        invocation.proceed();
                    } catch (Exception | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new RuntimeException(t);
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                throw e.getCause() != null && !(e instanceof IllegalStateException) ? e.getCause() : e;
            }
        }

        @Override
        public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                ExtensionContext extensionContext) throws Throwable {
            run(invocation);
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation,
                ReflectiveInvocationContext<Method> context, ExtensionContext extensionContext) throws Throwable {
            run(invocation);
        }

        @Override
        public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                ExtensionContext extensionContext) throws Throwable {
            run(invocation);
        }
    }
}
