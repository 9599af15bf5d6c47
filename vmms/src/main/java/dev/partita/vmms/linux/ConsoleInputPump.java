package dev.partita.vmms.linux;

import dev.partita.devices.legacy.SerialPort16550;

import java.io.IOException;
import java.io.InputStream;

/**
 * Copies host input to the guest's UART on a daemon thread, watching for the detach sequence
 * Ctrl-] then 'q' (which runs the detach action instead). Ctrl-] followed by anything else sends both
 * bytes. Ends at end of input (the guest keeps running).
 */
final class ConsoleInputPump implements Runnable {
    /** Ctrl-] (GS). */
    static final int ESCAPE = 0x1D;

    private final InputStream in;
    private final SerialPort16550 uart;
    private final Runnable detach;

    ConsoleInputPump(InputStream in, SerialPort16550 uart, Runnable detach) {
        this.in = in;
        this.uart = uart;
        this.detach = detach;
    }

    static Thread start(InputStream in, SerialPort16550 uart, Runnable detach) {
        Thread t = new Thread(new ConsoleInputPump(in, uart, detach), "partita-console-input");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        byte[] buf = new byte[256];
        byte[] out = new byte[512];
        boolean escaped = false;
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
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
