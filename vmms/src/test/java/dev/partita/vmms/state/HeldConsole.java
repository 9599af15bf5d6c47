package dev.partita.vmms.state;

import dev.partita.hv.devices.debug.ConsoleSink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A console that holds the guest when a line containing {@code marker} is complete: the writing
 * processor waits inside the UART's output (its OUT has completed) until the test has posted a
 * pause and calls {@link #release()}, so the save lands right after that output whatever the host's
 * speed. Keeps all text.
 */
final class HeldConsole implements ConsoleSink {
    private final String marker;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder line = new StringBuilder();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    HeldConsole(String marker) {
        this.marker = marker;
    }

    @Override
    public void write(int b) {
        boolean hold;
        synchronized (this) {
            text.append((char) b);
            line.append((char) b);
            hold = b == '\n' && reached.getCount() > 0 && line.toString().contains(marker);
            if (b == '\n') {
                line.setLength(0);
            }
        }
        if (hold) {
            reached.countDown();
            try {
                released.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean awaitMarker(long seconds) throws InterruptedException {
        return reached.await(seconds, TimeUnit.SECONDS);
    }

    void release() {
        released.countDown();
    }

    synchronized String text() {
        return new String(text.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1).replace("\r", "");
    }
}
