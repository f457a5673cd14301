package atoll.libos.net;

import java.io.IOException;

/** Serves one accepted TCP connection. */
@FunctionalInterface
public interface FlowHandler {

    /**
     * Runs on a virtual thread of its own for one accepted connection; blocking is fine. The stack
     * closes the flow when this returns or throws. During shutdown the flow is closed under the
     * handler, whose blocked read then ends with an {@link IOException}.
     */
    void onFlow(TcpFlow flow) throws IOException;
}
