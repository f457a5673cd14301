package atoll.ssh.connection;

import atoll.ssh.auth.KeyOptions;
import atoll.ssh.auth.Patterns;
import java.util.List;

/** Outcome of looking a user's key up. */
public sealed interface AuthDecision {

    /**
     * The key is authorized.
     *
     * @param options the options on its authorized_keys line
     * @param destinations host:port patterns this user may open direct-tcpip channels to
     */
    record Accepted(KeyOptions options, List<String> destinations) implements AuthDecision {
        public Accepted {
            destinations = List.copyOf(destinations);
        }

        /** Whether a direct-tcpip channel to host:port is allowed, with the reason when not. */
        public String refusal(String host, int port) {
            if (!options.portForwarding()) {
                return "port forwarding disabled for this key (restrict / no-port-forwarding)";
            }
            if (options.permitOpen() != null
                    && options.permitOpen().stream().noneMatch(p -> Patterns.destination(p, host, port))) {
                return "destination not in this key's permitopen";
            }
            if (destinations.stream().noneMatch(p -> Patterns.destination(p, host, port))) {
                return "destination not allowed for this user";
            }
            return null;
        }
    }

    record Rejected(String reason) implements AuthDecision {}
}
