package atoll.socket;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/** A java.nio {@link Selector}: channels register with it, the loop dispatches their keys. */
record SelectorPoller(Selector selector, Consumer<SelectionKey> dispatch) implements Poller {

    @Override
    public void poll(long timeoutMillis) throws IOException {
        if (timeoutMillis == 0) {
            selector.selectNow(dispatch);
        } else {
            selector.select(dispatch, timeoutMillis < 0 ? 0 : timeoutMillis); // select's 0: no timeout
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
