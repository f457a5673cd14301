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
     * @param certificate for a user certificate, its key ID, serial and CA (for the audit line);
     *     null for a plain key
     */
    record Accepted(KeyOptions options, List<String> destinations, String certificate) implements AuthDecision {
        public Accepted {
            destinations = List.copyOf(destinations);
        }

        public Accepted(KeyOptions options, List<String> destinations) {
            this(options, destinations, null);
        }

        /** Whether a direct-tcpip channel to host:port is allowed, with the reason when not. */
        public String refusal(String host, int port) {
            if (!options.portForwarding()) {
                return certificate != null
                        ? "port forwarding disabled for this key (restrict / no-port-forwarding, or a certificate without permit-port-forwarding)"
                        : "port forwarding disabled for this key (restrict / no-port-forwarding)";
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
