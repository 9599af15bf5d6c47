package dev.partita.guests;

import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.ConsoleSink;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A console that holds the guest at a chosen moment: when the guest writes the newline ending line
 * {@code line}, the writing processor waits (in the console device, so the OUT has completed) until
 * the test has posted its pause and calls {@link #release()}. The pause then lands right after that
 * instruction, whatever the speed of the host. Captures the text like {@link CapturingConsoleSink}.
 */
final class PausingConsole implements ConsoleSink {
    private static final int CAPACITY = 64 * 1024;

    private final CapturingConsoleSink text = new CapturingConsoleSink(CAPACITY);
    private final int line;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private int newlines;

    PausingConsole(int line) {
        this.line = line;
    }

    @Override
    public void write(int b) {
        text.write(b);
        if (b == '\n' && ++newlines == line) {
            reached.countDown();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the guest has written line {@code line}; false if it did not within {@code seconds}. */
    boolean awaitLine(long seconds) throws InterruptedException {
        return reached.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets the held processor go on. */
    void release() {
        released.countDown();
    }

    String text() {
        return text.text();
    }
}
