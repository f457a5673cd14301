package atoll.libos.net;

import java.io.IOException;

/** A {@link TcpFlow#read} waited longer than the flow's read timeout. */
public final class FlowTimeoutException extends IOException {
    public FlowTimeoutException(String message) {
        super(message);
    }
}
