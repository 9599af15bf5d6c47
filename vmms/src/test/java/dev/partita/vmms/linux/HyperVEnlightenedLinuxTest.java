package dev.partita.vmms.linux;

import dev.partita.hv.BackendChoice;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.boot.BzImage;
import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.vmms.CommandLineRun;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmms.worker.VmDefinition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The stock Debian 6.1 cloud kernel on the emulator with Partita's Hyper-V enlightenments.
 * <ul>
 *   <li>Clock: the kernel registers {@code hyperv_clocksource_tsc_page} (the invariant-TSC privilege keeps
 *       {@code tsc} as its first choice) and uses the synthetic timer STIMER0 in direct mode as its clock event
 *       device ("Hyper-V clockevent"). The test switches the clocksource to the TSC page and then, over more than
 *       60 s that include a 3 s pause of the partition, samples the guest's wall clock (adjtimex) between two
 *       host clock readings: the console line announcing a sample reaches the host before the guest reads its
 *       clock, the line carrying the value after. Each guest value must lie within 1 s of that host interval,
 *       so host load cannot make the check fail, only a guest clock that is off. The guest's uptime must grow
 *       across the pause.</li>
 *   <li>Crash: {@code echo c > /proc/sysrq-trigger} through {@code partita run} ends the run with status 125
 *       and a report naming the guest crash and carrying the kernel's panic text (the crash MSRs' message page).</li>
 * </ul>
 * Skipped (reason printed) when the emulator is unavailable or the Debian image cannot be built.
 */
class HyperVEnlightenedLinuxTest {
    private static final int SAMPLES = 7;
    private static final int PAUSE_AFTER_SAMPLE = 3;
    private static final Pattern SAMPLE = Pattern.compile("SAMPLE (\\d+) (\\d+) (\\d+) ([0-9.]+)");
    private static final String CLOCKSOURCE = "/sys/devices/system/clocksource/clocksource0/";

    /** The guest's commands (no double quotes: they travel inside partita.run="..."). */
    private static String clockScript() {
        return "modprobe hv_vmbus; modprobe hv_utils; sleep 3; "
                + "echo CS-CURRENT $(cat " + CLOCKSOURCE + "current_clocksource); "
                + "echo CS-AVAILABLE $(cat " + CLOCKSOURCE + "available_clocksource); "
                + "echo CE-CURRENT $(cat /sys/devices/system/clockevents/clockevent0/current_device); "
                + "grep 'Clock Event Device' /proc/timer_list | sed 's/^/TIMER-LIST /'; "
                + "echo hyperv_clocksource_tsc_page > " + CLOCKSOURCE + "current_clocksource; "
                + "echo CS-SWITCHED $(cat " + CLOCKSOURCE + "current_clocksource); "
                + "i=0; while [ $i -lt " + SAMPLES + " ]; do echo SAMPLE-BEGIN $i; "
                + "echo SAMPLE $i $(adjtimex | grep tv_ | awk '{print $2}' | tr '\\n' ' ') $(cut -d' ' -f1 /proc/uptime); "
                + "sleep 10; i=$((i+1)); done; "
                + "grep HVS /proc/interrupts | sed 's/^/INTERRUPTS /'; dmesg | grep -i -e hyper -e clocksource | sed 's/^/DMESG /'";
    }

    private static DebianGuestImages.GuestFiles guestOrSkip() {
        var emulator = Hypervisor.get().availability("emulator");
        if (!emulator.usable()) {
            System.out.println("SKIP HyperVEnlightenedLinuxTest: " + emulator.reason());
        }
        Assumptions.assumeTrue(emulator.usable(), emulator.reason());
        try {
            return new DebianGuestImages(DebianGuestImages.defaultCacheRoot()).defaultGuest(BuildProgress.silent());
        } catch (ImageBuildException e) {
            String reason = "the Debian guest image cannot be built here: " + e.getMessage();
            System.out.println("SKIP HyperVEnlightenedLinuxTest: " + reason);
            Assumptions.abort(reason);
            return null;
        }
    }

    /** Console lines with the host's wall clock (ms) when each line ended. */
    private static final class TimedConsole {
        final StringBuffer text = new StringBuffer();
        final Map<String, Long> lineEnds = new ConcurrentHashMap<>();
        final CountDownLatch pauseDue = new CountDownLatch(1);
        private final StringBuilder line = new StringBuilder();

        synchronized void accept(int b) {
            long now = System.currentTimeMillis();
            char c = (char) (b & 0xFF);
            text.append(c);
            if (c == '\n') {
                String l = line.toString().replace("\r", "").strip();
                lineEnds.putIfAbsent(l.startsWith("SAMPLE ") ? l.split(" ")[0] + " " + l.split(" ")[1] : l, now);
                if (l.startsWith("SAMPLE " + PAUSE_AFTER_SAMPLE + " ")) {
                    pauseDue.countDown();
                }
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    @Test
    void linuxUsesTheTscPageAndStimer0AndKeepsWallClockTimeAcrossAPause() throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip();
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " cryptomgr.notests partita.run=\"" + clockScript() + "\" partita.poweroff";
        VmDefinition def = new VmDefinition("hv-clock", BzImage.parse(Files.readAllBytes(guest.kernel())),
                Files.readAllBytes(guest.initramfs()), cmdline, 256L << 20, 1, BackendChoice.EMULATOR, VmBusDevices.STANDARD, List.of(),
                Enlightenments.ALL);
        TimedConsole console = new TimedConsole();
        PartitionResult result;
        long pausedMillis;
        try (LinuxVmWorker vm = LinuxVmWorker.build(def, console::accept)) {
            assertEquals(Enlightenments.ALL, vm.hyperV().orElseThrow().enlightenments(), "the emulator offers all of them");
            vm.start();
            if (!console.pauseDue.await(400, TimeUnit.SECONDS)) {
                fail("no sample " + PAUSE_AFTER_SAMPLE + " within 400 s: " + tail(console.text.toString()));
            }
            long before = System.nanoTime();
            vm.partition().pause();
            Thread.sleep(3000);
            vm.partition().resume();
            pausedMillis = (System.nanoTime() - before) / 1_000_000;
            result = vm.partition().awaitExit(Duration.ofSeconds(300));
        }
        String text = console.text.toString().replace("\r", "");
        assertInstanceOf(PartitionResult.Exited.class, result, () -> result.report() + "\n" + tail(text));
        assertTrue(text.contains("CS-CURRENT tsc") || text.contains("CS-CURRENT hyperv_clocksource_tsc_page"), tail(text));
        assertTrue(Pattern.compile("CS-AVAILABLE .*hyperv_clocksource_tsc_page").matcher(text).find(), tail(text));
        assertTrue(text.contains("CS-SWITCHED hyperv_clocksource_tsc_page"), "the TSC page clocksource is usable: " + tail(text));
        assertTrue(text.contains("CE-CURRENT Hyper-V clockevent"), "STIMER0 is the clock event device: " + tail(text));
        assertTrue(text.contains("TIMER-LIST Clock Event Device: Hyper-V clockevent"), tail(text));

        Matcher m = SAMPLE.matcher(text);
        List<String> report = new ArrayList<>();
        double lastUptime = -1;
        int samples = 0;
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            double guestSeconds = Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)) / 1e6;
            double uptime = Double.parseDouble(m.group(4));
            Long begin = console.lineEnds.get("SAMPLE-BEGIN " + i);
            Long end = console.lineEnds.get("SAMPLE " + i);
            assertNotNull(begin, "host time of SAMPLE-BEGIN " + i);
            assertNotNull(end, "host time of SAMPLE " + i);
            report.add(String.format("sample %d: guest %.3f, host [%.3f, %.3f], uptime %.2f", i, guestSeconds, begin / 1e3, end / 1e3, uptime));
            assertTrue(guestSeconds >= begin / 1e3 - 1.0 && guestSeconds <= end / 1e3 + 1.0,
                    "guest wall clock within 1 s of the host around sample " + i + ": " + report);
            assertTrue(uptime > lastUptime, "guest uptime grows (monotonic, also across the pause): " + report);
            lastUptime = uptime;
            samples++;
        }
        assertEquals(SAMPLES, samples, tail(text));
        double span = Double.parseDouble(lastMatch(text, 4, SAMPLES - 1)) - Double.parseDouble(lastMatch(text, 4, 0));
        assertTrue(span >= 60, "the samples span at least 60 s of guest time: " + span);
        System.out.printf("HyperVEnlightenedLinuxTest: %d samples over %.1f s of guest uptime, paused %d ms%n%s%n",
                samples, span, pausedMillis, String.join("\n", report));
    }

    private static String lastMatch(String text, int group, int index) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) == index) {
                return m.group(group);
            }
        }
        throw new AssertionError("no sample " + index);
    }

    @Test
    void sysrqCrashEndsTheRunWithTheKernelsPanicText() throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip();
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " cryptomgr.notests partita.run=\"modprobe hv_vmbus; echo c > /proc/sysrq-trigger\"";
        CommandLineRun r = CommandLineRun.run("run", "--kernel", guest.kernel().toString(), "--initrd", guest.initramfs().toString(),
                "--cmdline", cmdline, "--backend", "emulator", "--vmbus", "--memory", "256M", "--timeout", "400s");
        assertEquals(125, r.exit(), r.err() + "\n" + tail(r.out()));
        assertTrue(r.err().contains("guest crash reported by vCPU 0"), r.err());
        assertTrue(r.err().contains("Kernel panic - not syncing: sysrq triggered crash"), "the kernel's panic text: " + r.err());
        System.out.println("HyperVEnlightenedLinuxTest crash report:\n" + r.err());
    }

    /** Three parallel jobs of processes, pipes and memory churn (TLB shootdowns between the two vCPUs), then dmesg. */
    private static String parallelScript() {
        return "w() { seq 1 20000 > /tmp/a$1; cat /tmp/a$1 /tmp/a$1 /tmp/a$1 > /tmp/w$1; gzip -1 -c /tmp/w$1 | gzip -dc | sha256sum; "
                + "i=0; s=0; while [ $i -lt 1500 ]; do s=$((s+i*$1)); i=$((i+1)); done; echo loop$1=$s; }; "
                + "(w 1 > /tmp/r1) & (w 2 > /tmp/r2) & (w 3 > /tmp/r3) & wait; "
                + "cat /tmp/r1 /tmp/r2 /tmp/r3 | sed 's/^/RESULT /'; echo CPUS $(nproc); "
                + "dmesg | grep -i -e 'remote TLB flush' -e 'IPI hypercalls' | sed 's/^/DMESG /'";
    }

    private record ParallelRun(List<String> results, String console, long flushCalls, long ipiCalls) {}

    private static ParallelRun parallelRun(DebianGuestImages.GuestFiles guest, Enlightenments e) throws Exception {
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " cryptomgr.notests partita.run=\"" + parallelScript() + "\" partita.poweroff";
        VmDefinition def = new VmDefinition("hv-smp", BzImage.parse(Files.readAllBytes(guest.kernel())),
                Files.readAllBytes(guest.initramfs()), cmdline, 256L << 20, 2, BackendChoice.EMULATOR, VmBusDevices.STANDARD, List.of(), e);
        StringBuffer console = new StringBuffer();
        try (LinuxVmWorker vm = LinuxVmWorker.build(def, b -> console.append((char) (b & 0xFF)))) {
            vm.start();
            PartitionResult r = vm.partition().awaitExit(Duration.ofSeconds(600));
            String text = console.toString().replace("\r", "");
            assertInstanceOf(PartitionResult.Exited.class, r, () -> r.report() + "\n" + tail(text));
            List<String> results = text.lines().filter(l -> l.startsWith("RESULT ")).toList();
            return new ParallelRun(results, text, vm.hyperV().orElseThrow().flushHypercalls(), vm.hyperV().orElseThrow().ipiHypercalls());
        }
    }

    @Test
    void twoVcpusUseTheFlushAndIpiHypercallsWithTheSameResults() throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip();
        ParallelRun with = parallelRun(guest, Enlightenments.ALL);
        ParallelRun without = parallelRun(guest, Enlightenments.NONE);
        assertTrue(with.console().contains("CPUS 2"), tail(with.console()));
        assertTrue(with.console().contains("Hyper-V: Using hypercall for remote TLB flush"), "dmesg: " + tail(with.console()));
        assertTrue(with.console().contains("Hyper-V: Using IPI hypercalls"), "dmesg: " + tail(with.console()));
        assertFalse(without.console().contains("Hyper-V: Using hypercall for remote TLB flush"), "not offered, not used: " + tail(without.console()));
        assertFalse(without.console().contains("Hyper-V: Using IPI hypercalls"), "not offered, not used");
        // Whether a remote flush is needed depends on where the guest's scheduler ran each process, so
        // only the two together are certain to be used; the unit tests pin down each hypercall.
        assertTrue(with.flushCalls() + with.ipiCalls() > 0, "the guest made flush or IPI hypercalls");
        assertEquals(0, without.flushCalls() + without.ipiCalls());
        assertEquals(6, with.results().size(), "three jobs, two lines each: " + tail(with.console()));
        assertEquals(without.results(), with.results(), "the same results with and without the enlightenments");
        System.out.printf("HyperVEnlightenedLinuxTest: 2 vCPUs, %d flush and %d IPI hypercalls; results %s%n",
                with.flushCalls(), with.ipiCalls(), with.results());
    }

    private static String tail(String s) {
        return s.length() <= 5000 ? s : s.substring(s.length() - 5000);
    }
}
