package atoll.ssh;

import atoll.libos.config.ValueType;
import atoll.libos.config.ValueTypes;
import atoll.ssh.auth.Patterns;
import java.util.List;

/**
 * One entry of the {@code destinations} key: users matching {@code userPattern} may open
 * direct-tcpip channels to destinations matching {@code hostPort} ({@code host:port} globs).
 */
record DestinationRule(String userPattern, String hostPort) {

    boolean appliesTo(String user) {
        return Patterns.glob(userPattern, user);
    }

    static final ValueType<DestinationRule> TYPE = new ValueType<>() {
        @Override
        public DestinationRule parse(String raw) {
            int eq = raw.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("no user=");
            }
            String hp = raw.substring(eq + 1).strip();
            int colon = hp.lastIndexOf(':');
            if (colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException("no host:port");
            }
            String port = hp.substring(colon + 1);
            if (!port.equals("*")) {
                int p = Integer.parseInt(port);
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("bad port");
                }
            }
            return new DestinationRule(raw.substring(0, eq).strip(), hp);
        }

        @Override
        public String format(DestinationRule value) {
            return value.userPattern + "=" + value.hostPort;
        }

        @Override
        public String accepted() {
            return "user=host:port with * and ? globs in user and host, port a number or *";
        }

        @Override
        public String name() {
            return "destination rule";
        }
    };

    static final ValueType<List<DestinationRule>> LIST = ValueTypes.listOf(TYPE);
}
