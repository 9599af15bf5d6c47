package dev.partita.vmms.linux;

import dev.partita.hv.Hypervisor;
import dev.partita.vmms.Main;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.images.InitScript;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end on the emulator, through the real command line ({@link Main#commandLine()}, the code behind
 * {@code ./partita}): Debian's cloud kernel with Partita's busybox initramfs boots through the ACPI tables
 * and legacy devices to /init, runs {@code uname -r}, {@code cat /proc/cpuinfo} and a small workload
 * (sha256sum and a gzip round trip of 1.7 MB generated in tmpfs, a shell arithmetic loop) whose results are
 * checked against values computed here, and powers off with status 0 through the ACPI PM block.
 * <ul>
 *   <li>{@code partita demo} on 1 vCPU (the demo's default), with the commands typed on the console after
 *       the shell starts: input reaches the shell through the interrupt-driven UART.</li>
 *   <li>{@code partita run --kernel K --initrd I --cpus 2}, with the commands run by /init from
 *       {@code partita.run="..."} on the kernel command line: /proc/cpuinfo lists both processors.</li>
 * </ul>
 * Skipped (reason printed) when the guest image cannot be built (no apt access to Debian) or the emulator
 * is unavailable. Each boot takes about 25-40 s of wall time on a 2-core machine.
 */
class DebianGuestBootTest {
    private static final String SHELL_READY = "partita: shell on the console";
    /** Lines of {@code seq 1 N} (about 350 KB), repeated {@link #COPIES} times into /tmp/w (about 1.7 MB of tmpfs). */
    private static final int SEQ_LINES = 60_000;
    private static final int COPIES = 5;
    /** The shell loop sums i*i for i below this. */
    private static final int LOOP_N = 3000;
    /**
     * The guest's commands (no double quotes: they also travel inside partita.run="..."). The sizes keep the
     * workload near 10 s on the emulator (generating the data with seq costs the most).
     */
    private static final String WORKLOAD = "uname -r; cat /proc/cpuinfo; seq 1 " + SEQ_LINES + " > /tmp/a; "
            + "cat" + " /tmp/a".repeat(COPIES) + " > /tmp/w; sha256sum /tmp/w; "
            + "gzip -1 -c /tmp/w > /tmp/w.gz; gzip -dc /tmp/w.gz | sha256sum; "
            + "i=0; s=0; while [ $i -lt " + LOOP_N + " ]; do s=$((s+i*i)); i=$((i+1)); done; echo loop=$s; "
            + "echo work-$((6*7))-done";

    private record Run(int exit, String console, String err, double seconds, double markerSeconds) {}

    /** Console text collected as the guest writes it; notes when the init marker's line ends. */
    private static final class ConsoleText extends Writer {
        final StringBuffer text = new StringBuffer();
        final long start = System.nanoTime();
        volatile double markerSeconds = Double.NaN;
        private int lineStart;

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
            for (int i = off; i < off + len; i++) {
                if (cbuf[i] == '\n') {
                    int end = text.length() - (off + len - i) + 1;
                    if (Double.isNaN(markerSeconds) && text.substring(lineStart, end).contains(InitScript.MARKER)) {
                        markerSeconds = (System.nanoTime() - start) / 1e9;
                    }
                    lineStart = end;
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Makes the typed text available once, half a second after the shell said it is ready (and reading). */
    private static final class TypedAfterShell extends InputStream {
        private static final long SETTLE_NANOS = 500_000_000L;
        private final ConsoleText console;
        private final byte[] typed;
        private int pos;
        private long readyAt = -1;

        TypedAfterShell(ConsoleText console, String typed) {
            this.console = console;
            this.typed = typed.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public synchronized int available() {
            if (readyAt < 0) {
                if (console.text.indexOf(SHELL_READY) < 0) {
                    return 0;
                }
                readyAt = System.nanoTime();
            }
            return System.nanoTime() - readyAt < SETTLE_NANOS ? 0 : typed.length - pos;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (pos == typed.length) {
                return -1;
            }
            int n;
            while ((n = Math.min(len, available())) == 0) {
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            System.arraycopy(typed, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static DebianGuestImages.GuestFiles guestOrSkip(String test) {
        var emulator = Hypervisor.get().availability("emulator");
        if (!emulator.usable()) {
            System.out.println("SKIP DebianGuestBootTest." + test + ": " + emulator.reason());
        }
        Assumptions.assumeTrue(emulator.usable(), emulator.reason());
        try {
            return new DebianGuestImages(DebianGuestImages.defaultCacheRoot()).defaultGuest(BuildProgress.silent());
        } catch (ImageBuildException e) {
            String reason = "the Debian guest image cannot be built here: " + e.getMessage();
            System.out.println("SKIP DebianGuestBootTest." + test + ": " + reason);
            Assumptions.abort(reason);
            throw new AssertionError("unreachable");
        }
    }

    /** Runs {@code args} through the CLI with {@code input} on the console (null: none, or typed after the shell starts). */
    private static Run cli(String typed, String... args) {
        ConsoleText console = new ConsoleText();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(typed == null ? InputStream.nullInputStream() : new TypedAfterShell(console, typed));
        cli.setOut(new PrintWriter(console, true));
        cli.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int exit = cli.execute(args);
        return new Run(exit, console.text.toString().replace("\r", ""), err.toString(), (System.nanoTime() - start) / 1e9,
                console.markerSeconds);
    }

    @Test
    void demoOnOneCpuBootsTakesTypedCommandsAndPowersOff() throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip("demoOnOneCpu");
        // One typed line: every prompt of busybox's line editor asks the terminal for the cursor position and
        // waits for an answer that a pipe never gives.
        Run r = cli(WORKLOAD + "\rpoweroff -f\r", "demo", "--backend", "emulator", "--memory", "256M",
                "--timeout", "400s");
        System.out.printf("DebianGuestBootTest: partita demo (1 vCPU): %s reached /init after %.1f s, ran the typed workload "
                + "and powered off after %.1f s%n", guest.kernelRelease(), r.markerSeconds(), r.seconds());
        assertEquals(0, r.exit(), r.err() + "\n" + tail(r.console()));
        String text = r.console();
        assertTrue(text.contains("ACPI: RSDP 0x00000000000E0000"), tail(text));
        assertTrue(text.contains("ttyS0 at I/O 0x3f8 (irq = 4"), "COM1 found through the DSDT: " + tail(text));
        assertTrue(text.contains("i8042: PNP: PS/2 Controller [PNP0303:KBD]"), tail(text));
        assertTrue(text.contains("rtc_cmos 00:02: registered as rtc0"), tail(text));
        assertTrue(text.contains(SHELL_READY), tail(text));
        assertBootAndWorkload(guest, text, 1);
        assertTrue(text.contains("reboot: Power down"), tail(text));
    }

    @Test
    void runWithTwoCpusListsBothProcessorsAndRunsTheWorkloadFromInit() throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip("runWithTwoCpus");
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " partita.run=\"" + WORKLOAD + "\" partita.poweroff";
        Run r = cli(null, "run", "--kernel", guest.kernel().toString(), "--initrd", guest.initramfs().toString(), "--cpus", "2",
                "--backend", "emulator", "--memory", "256M", "--timeout", "400s", "--cmdline", cmdline);
        System.out.printf("DebianGuestBootTest: partita run --cpus 2: %s reached /init after %.1f s, ran the workload from /init "
                + "and powered off after %.1f s%n", guest.kernelRelease(), r.markerSeconds(), r.seconds());
        assertEquals(0, r.exit(), r.err() + "\n" + tail(r.console()));
        String text = r.console();
        assertTrue(text.contains("smp: Brought up 1 node, 2 CPUs"), tail(text));
        assertBootAndWorkload(guest, text, 2);
        assertTrue(text.contains("partita: exit status 0"), "the workload's last command succeeded: " + tail(text));
        assertFalse(text.contains(SHELL_READY), "partita.poweroff powers off before the shell: " + tail(text));
        assertTrue(text.contains("reboot: Power down"), tail(text));
    }

    @Test
    void linuxFindsThePciHostBridgeWithoutErrors() throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip("linuxFindsThePciHostBridge");
        String sys = "/sys/bus/pci/devices/0000:00:00.0";
        String work = "ls /sys/bus/pci/devices; cat " + sys + "/vendor " + sys + "/device " + sys + "/class; echo pci-done";
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " partita.run=\"" + work + "\" partita.poweroff";
        Run r = cli(null, "run", "--kernel", guest.kernel().toString(), "--initrd", guest.initramfs().toString(),
                "--backend", "emulator", "--memory", "256M", "--timeout", "400s", "--cmdline", cmdline);
        System.out.printf("DebianGuestBootTest: PCI listing powered off after %.1f s%n", r.seconds());
        assertEquals(0, r.exit(), r.err() + "\n" + tail(r.console()));
        String text = r.console();
        String pciLines = text.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("pci")).collect(
                java.util.stream.Collectors.joining("\n"));
        System.out.println("DebianGuestBootTest: the boot log's PCI lines:\n" + pciLines);
        assertFalse(text.contains("No config space access function found"), pciLines);
        assertTrue(text.contains("PCI: Using configuration type 1"), "mechanism #1 accepted: " + pciLines);
        assertTrue(text.contains("MMCONFIG for domain 0000 [bus 00-00] at [mem 0xe0000000-0xe00fffff]"),
                "the MCFG window found: " + pciLines);
        assertTrue(text.contains("pci 0000:00:00.0: [8086:7192] type 00 class 0x060000"), "the host bridge enumerated: "
                + pciLines + "\n" + tail(text));
        List<String> lines = text.lines().map(String::strip).toList();
        int listing = lines.indexOf("partita: running: " + work);
        assertTrue(listing >= 0, tail(text));
        List<String> after = lines.subList(listing + 1, lines.size());
        assertEquals("0000:00:00.0", after.get(0), "one PCI function in /sys: " + tail(text));
        assertEquals(List.of("0x8086", "0x7192", "0x060000", "pci-done"), after.subList(1, 5), tail(text));
        for (String l : lines) {
            String lower = l.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("pci")) {
                assertFalse(lower.contains("error") || lower.contains("fatal") || lower.contains("fail")
                        || lower.contains("firmware bug") || lower.contains("not reserved"), "PCI complaint: " + l);
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "--cpus {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {4, 16})
    void manyProcessorsComeOnlineAndRunAParallelWorkload(int cpus) throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip("manyProcessors[" + cpus + "]");
        // One background shell per processor, each summing j*i for j below 300; wait collects them all.
        String work = "nproc; cat /sys/devices/system/cpu/online; for i in $(seq 1 " + cpus + "); do "
                + "(s=0; j=0; while [ $j -lt 300 ]; do s=$((s+j*i)); j=$((j+1)); done; echo par-$i=$s) & done; wait; echo par-done";
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " partita.run=\"" + work + "\" partita.poweroff";
        Run r = cli(null, "run", "--kernel", guest.kernel().toString(), "--initrd", guest.initramfs().toString(), "--cpus",
                String.valueOf(cpus), "--backend", "emulator", "--memory", "512M", "--timeout", "900s", "--cmdline", cmdline);
        System.out.printf("DebianGuestBootTest: --cpus %d powered off after %.1f s%n", cpus, r.seconds());
        assertEquals(0, r.exit(), r.err() + "\n" + tail(r.console()));
        String text = r.console();
        assertTrue(text.contains("smp: Brought up 1 node, " + cpus + " CPUs"), head(text) + "\n" + tail(text));
        List<String> lines = text.lines().map(String::strip).toList();
        int listing = lines.indexOf("partita: running: " + work);
        assertTrue(listing >= 0, tail(text));
        assertEquals(String.valueOf(cpus), lines.get(listing + 1), "nproc: " + tail(text));
        assertEquals("0-" + (cpus - 1), lines.get(listing + 2), "online processors: " + tail(text));
        for (int i = 1; i <= cpus; i++) {
            assertTrue(lines.contains("par-" + i + "=" + (i * 44_850L)), "job " + i + ": " + tail(text));
        }
        assertTrue(lines.indexOf("par-done") > listing, tail(text));
    }

    @Test
    void sixGigabytesAreOnlineWithTheRamAbove4GiBInUse() throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip("sixGigabytes");
        // Zone Normal is exactly the RAM above 4 GiB (zone DMA32 ends there); the kernel allocates from it first, so the
        // tmpfs data written and checksummed here lives above 4 GiB and its free page count drops.
        String normalFree = "awk '/zone +Normal/{z=1} z&&/pages free/{print $3; exit}' /proc/zoneinfo";
        String work = "free -k; echo normal-free-before=$(" + normalFree + "); seq 1 " + SEQ_LINES + " > /tmp/a; "
                + "cat" + " /tmp/a".repeat(COPIES) + " > /tmp/w; echo normal-free-after=$(" + normalFree + "); sha256sum /tmp/w; "
                + "echo mem-done";
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " partita.run=\"" + work + "\" partita.poweroff";
        Run r = cli(null, "run", "--kernel", guest.kernel().toString(), "--initrd", guest.initramfs().toString(),
                "--backend", "emulator", "--memory", "6G", "--timeout", "600s", "--cmdline", cmdline);
        System.out.printf("DebianGuestBootTest: --memory 6G powered off after %.1f s%n", r.seconds());
        assertEquals(0, r.exit(), r.err() + "\n" + tail(r.console()));
        String text = r.console();
        assertTrue(text.contains("BIOS-e820: [mem 0x0000000100000000-0x00000001afffffff] usable"), head(text));
        List<String> lines = text.lines().map(String::strip).toList();
        long totalKib = lines.stream().filter(l -> l.startsWith("Mem:")).mapToLong(l -> Long.parseLong(l.split("\\s+")[1]))
                .findFirst().orElseThrow(() -> new AssertionError("no free output: " + tail(text)));
        // MemTotal is RAM minus what the kernel keeps for itself (its image, page structures): within 5% of 6 GiB.
        assertTrue(totalKib > 6L * 1024 * 1024 * 95 / 100 && totalKib <= 6L * 1024 * 1024, "free total " + totalKib + " KiB");
        long before = value(lines, "normal-free-before=");
        long after = value(lines, "normal-free-after=");
        // /tmp/a and /tmp/w hold about 2 MB (500 pages) between them.
        assertTrue(before - after >= 300, "pages above 4 GiB taken for the data: free before " + before + ", after " + after);
        assertTrue(text.contains(sha256OfSeq(SEQ_LINES, COPIES) + "  /tmp/w"), "the data reads back intact: " + tail(text));
        assertTrue(text.contains("mem-done"), tail(text));
    }

    private static long value(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).mapToLong(l -> Long.parseLong(l.substring(prefix.length())))
                .findFirst().orElseThrow(() -> new AssertionError("no line " + prefix));
    }

    /** The marker, the kernel release against the Debian package, /proc/cpuinfo with {@code cpus} processors, the workload. */
    private static void assertBootAndWorkload(DebianGuestImages.GuestFiles guest, String text, int cpus) throws Exception {
        String release = guest.kernelRelease();
        assertEquals("linux-image-" + release, guest.kernelPackage(), "the release names the Debian package");
        assertTrue(text.contains("Linux version " + release + " "), tail(text));
        assertTrue(text.contains("Debian " + guest.kernelVersion()), "the banner carries the package version "
                + guest.kernelVersion() + ": " + head(text));
        assertTrue(text.contains(InitScript.MARKER + " kernel " + release), tail(text));
        List<String> lines = text.lines().map(String::strip).toList();
        int marker = lines.indexOf(InitScript.MARKER + " kernel " + release);
        assertTrue(lines.subList(marker + 1, lines.size()).contains(release), "uname -r printed the release alone: " + tail(text));
        for (int i = 0; i < cpus; i++) {
            assertTrue(text.contains("processor\t: " + i + "\n"), "cpuinfo lists processor " + i + ": " + tail(text));
        }
        assertFalse(text.contains("processor\t: " + cpus + "\n"), "cpuinfo lists only " + cpus + ": " + tail(text));
        assertTrue(text.contains("vendor_id\t: "), tail(text));
        assertTrue(text.contains("model name\t: "), tail(text));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("flags") && l.contains(" lm ") && l.contains(" sse2 ")),
                "cpuinfo flags: " + tail(text));
        String sha = sha256OfSeq(SEQ_LINES, COPIES);
        assertTrue(text.contains(sha + "  /tmp/w"), "sha256sum of " + COPIES + " x seq 1 " + SEQ_LINES + " is " + sha + ": "
                + tail(text));
        assertTrue(text.contains(sha + "  -"), "the gzip round trip gives back the same bytes: " + tail(text));
        long loop = 0;
        for (long i = 0; i < LOOP_N; i++) {
            loop += i * i;
        }
        assertTrue(text.contains("loop=" + loop + "\n"), "shell loop sum " + loop + ": " + tail(text));
        assertTrue(text.contains("work-42-done"), tail(text));
    }

    private static String sha256OfSeq(int n, int copies) throws NoSuchAlgorithmException {
        StringBuilder seq = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            seq.append(i).append('\n');
        }
        byte[] once = seq.toString().getBytes(StandardCharsets.US_ASCII);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int c = 0; c < copies; c++) {
            md.update(once);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String head(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
