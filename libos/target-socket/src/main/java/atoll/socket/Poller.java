package atoll.socket;

import java.io.IOException;

/** What an {@link EventLoop} waits in; used by the loop thread only, but {@link #wakeup} from any. */
sealed interface Poller permits SelectorPoller, EpollPoller {

    /**
     * Waits for readiness and runs the callbacks of whatever is ready.
     *
     * @param timeoutMillis -1 waits until something is ready or {@link #wakeup}, 0 does not wait
     */
    void poll(long timeoutMillis) throws IOException;

    /** Ends a {@link #poll} under way, or makes the next one return at once. Any thread. */
    void wakeup();

    /** Releases the poller (on the loop thread, once it has stopped). */
    void close() throws IOException;
}
