package dev.partita.vmms.linux;

import dev.partita.devices.legacy.SerialPort16550;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies host input to the guest's UART on a daemon thread, watching for the detach sequence Ctrl-] then
 * 'q' (which runs the detach action instead). Ctrl-] followed by anything else sends both bytes.
 *
 * <p>The pump belongs to one run: {@link #close()} ends it and waits for its thread. It never blocks in
 * {@code read}: it reads only what {@link InputStream#available()} reports and otherwise parks for
 * {@link #IDLE_NANOS}, so closing takes effect within that interval and no byte that arrives after the run
 * is consumed (a read blocked on the process's stdin could not be cancelled and would outlive the run,
 * swallowing input meant for whatever reads stdin next). Input that reports nothing available is idle,
 * end of input included (a pipe at its end looks the same); the pump stops when closed, on an I/O error,
 * on a read that reports the end, or after the detach sequence.
 *
 * <p><b>Threads.</b> {@link #start} and {@link #close} are called by the run's thread; the pump's own
 * thread does the copying.
 */
final class ConsoleInputPump implements Runnable, AutoCloseable {
    /** Ctrl-] (GS). */
    static final int ESCAPE = 0x1D;
    /** How long the pump parks when no input is available: keystroke latency and the bound on closing. */
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final InputStream in;
    private final SerialPort16550 uart;
    private final Runnable detach;
    private volatile boolean closed;
    private Thread thread;

    ConsoleInputPump(InputStream in, SerialPort16550 uart, Runnable detach) {
        this.in = in;
        this.uart = uart;
        this.detach = detach;
    }

    /** Starts a pump on its own daemon thread. */
    static ConsoleInputPump start(InputStream in, SerialPort16550 uart, Runnable detach) {
        ConsoleInputPump pump = new ConsoleInputPump(in, uart, detach);
        pump.thread = Thread.ofPlatform().daemon().name("partita-console-input").start(pump);
        return pump;
    }

    /** Stops the pump and waits for its thread to end; no input is read after this returns. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        LockSupport.unpark(t);
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        byte[] buf = new byte[256];
        byte[] out = new byte[512];
        boolean escaped = false;
        try {
            while (!closed) {
                int ready = in.available();
                if (ready <= 0) {
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                int n = in.read(buf, 0, Math.min(ready, buf.length));
                if (n < 0) {
                    return;
                }
                int o = 0;
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xFF;
                    if (escaped) {
                        escaped = false;
                        if (b == 'q' || b == 'Q') {
                            uart.receive(out, 0, o);
                            detach.run();
                            return;
                        }
                        out[o++] = (byte) ESCAPE;
                        out[o++] = (byte) b;
                    } else if (b == ESCAPE) {
                        escaped = true;
                    } else {
                        out[o++] = (byte) b;
                    }
                }
                uart.receive(out, 0, o);
            }
        } catch (IOException e) {
            // input closed: the guest keeps running without it
        }
    }
}
