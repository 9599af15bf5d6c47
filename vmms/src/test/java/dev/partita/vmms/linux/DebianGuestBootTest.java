package dev.partita.vmms.linux;

import dev.partita.hv.Hypervisor;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.images.InitScript;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end on the emulator: Debian's cloud kernel with Partita's busybox initramfs boots through the
 * ACPI tables and legacy devices to /init, a command typed on the console reaches the shell through the
 * interrupt-driven UART, and {@code poweroff -f} ends the run with status 0 through the ACPI PM block.
 * Skipped (reason printed) when the guest image cannot be built (no apt access to Debian) or the
 * emulator is unavailable. Takes about 30-60 s.
 */
class DebianGuestBootTest {
    private static final String SHELL_READY = "partita: shell on the console";

    /** Console text collected as the guest writes it. */
    private static final class ConsoleText extends Writer {
        final StringBuffer text = new StringBuffer();

        @Override
        public void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Blocks until the shell is ready, then yields the typed lines once. */
    private static final class TypedAfterShell extends InputStream {
        private final ConsoleText console;
        private final byte[] typed;
        private int pos;

        TypedAfterShell(ConsoleText console, String typed) {
            this.console = console;
            this.typed = typed.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                while (console.text.indexOf(SHELL_READY) < 0) {
                    Thread.sleep(100);
                }
                Thread.sleep(500); // let the shell print its prompt and start reading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (pos == typed.length) {
                return -1;
            }
            int n = Math.min(len, typed.length - pos);
            System.arraycopy(typed, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void debianKernelBootsToInitTakesTypedInputAndPowersOff() throws Exception {
        var emulator = Hypervisor.get().availability("emulator");
        Assumptions.assumeTrue(emulator.usable(), () -> {
            System.out.println("SKIP DebianGuestBootTest: " + emulator.reason());
            return emulator.reason();
        });
        DebianGuestImages.GuestFiles guest;
        try {
            guest = new DebianGuestImages(DebianGuestImages.defaultCacheRoot()).defaultGuest(BuildProgress.silent());
        } catch (ImageBuildException e) {
            String reason = "the Debian guest image cannot be built here: " + e.getMessage();
            System.out.println("SKIP DebianGuestBootTest: " + reason);
            Assumptions.abort(reason);
            return;
        }
        ConsoleText console = new ConsoleText();
        PrintWriter out = new PrintWriter(console, true);
        java.io.StringWriter errText = new java.io.StringWriter();
        long start = System.nanoTime();
        int exit = new LinuxGuestRun(guest.kernel(), guest.initramfs(), LinuxGuestRun.DEFAULT_CMDLINE, 256L << 20, 1, "emulator",
                Duration.ofSeconds(300), false)
                .run(out, new PrintWriter(errText, true), new TypedAfterShell(console, "echo typed-$((6*7))\rpoweroff -f\r"));
        String text = console.text.toString();
        System.out.printf("DebianGuestBootTest: %s booted and powered off in %.1f s of wall time%n", guest.kernelRelease(),
                (System.nanoTime() - start) / 1e9);
        assertEquals(0, exit, errText + "\n" + tail(text));
        assertTrue(text.contains("ACPI: RSDP 0x00000000000E0000"), tail(text));
        assertTrue(text.contains("ttyS0 at I/O 0x3f8 (irq = 4"), "COM1 found through the DSDT: " + tail(text));
        assertTrue(text.contains("i8042: PNP: PS/2 Controller [PNP0303:KBD]"), tail(text));
        assertTrue(text.contains("rtc_cmos 00:02: registered as rtc0"), tail(text));
        assertTrue(text.contains(InitScript.MARKER + " kernel " + guest.kernelRelease()), tail(text));
        assertTrue(text.contains("typed-42"), "the shell evaluated the typed command: " + tail(text));
        assertTrue(text.contains("reboot: Power down"), tail(text));
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
