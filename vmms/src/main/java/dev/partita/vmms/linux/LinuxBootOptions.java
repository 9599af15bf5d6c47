package dev.partita.vmms.linux;

import dev.partita.hv.BackendChoice;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.vmms.cli.RunOutcome;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Linux options of {@code partita run} (a picocli mixin): --kernel, --initrd, --cmdline, --vmbus.
 * With --kernel the run boots Linux through {@link LinuxGuestRun} instead of a test image.
 */
public final class LinuxBootOptions {
    @Option(names = "--kernel", paramLabel = "FILE",
            description = {"Boot this Linux kernel (bzImage/vmlinuz, or a vmlinux with a PVH entry) instead of --image. "
                    + "COM1 is the console: its output goes to stdout and what you type goes to the guest (a terminal is put "
                    + "in raw mode, so Ctrl-C reaches the guest). Press Ctrl-] then q to stop the guest. The guest's "
                    + "poweroff exits with 0, a guest reboot stops it with 125, and so does a guest crash report (with --vmbus; the "
                    + "report with the guest's panic text goes to stderr). --memory defaults to 512M here."})
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial RAM disk (initramfs) for --kernel.")
    Path initrd;

    @Option(names = "--cmdline", paramLabel = "TEXT",
            description = "Kernel command line (default: \"" + LinuxGuestRun.DEFAULT_CMDLINE + "\").")
    String cmdline;

    @Option(names = "--vmbus", description = "Offer the VMBus device in the ACPI tables.")
    boolean vmbus;

    @Option(names = "--no-enlightenments",
            description = "With VMBus, offer only the base Hyper-V interface: no reference TSC page, synthetic timers or crash "
                    + "reports (for comparisons).")
    boolean noEnlightenments;

    @Option(names = "--disk", paramLabel = "PATH[,ro]",
            description = "Attach a disk image on the VMBus SCSI controller: VHDX (dynamic or differencing, recognised by "
                    + "its signature) or raw (repeatable; the first is /dev/sda in a Linux guest; ,ro makes it read-only). "
                    + "Implies --vmbus.")
    List<String> disks = new ArrayList<>();

    /** Whether any Linux option was given. */
    public boolean requested() {
        return kernel != null || initrd != null || cmdline != null || vmbus || noEnlightenments || !disks.isEmpty();
    }

    /**
     * Runs the Linux guest for {@code partita run}; {@code image} must be null (the two are exclusive).
     *
     * @param consoleInput feeds the guest console while the run lasts
     * @param memory guest RAM, or 0 when --memory was not given (512 MiB then)
     */
    public int run(PrintWriter out, PrintWriter err, InputStream consoleInput, Path image, BackendChoice backend, long memory, int cpus,
            Duration timeout) {
        return run(out, err, consoleInput, image, backend, memory, cpus, timeout, null);
    }

    /** As above; {@code saveOnSignal} (null: none) is where SIGUSR1/SIGTERM save the VM ({@code --save-on-signal}). */
    public int run(PrintWriter out, PrintWriter err, InputStream consoleInput, Path image, BackendChoice backend, long memory, int cpus,
            Duration timeout, Path saveOnSignal) {
        if (image != null && kernel != null) {
            return bad(err, "give either --image or --kernel, not both");
        }
        if (kernel == null) {
            return bad(err, image == null ? "missing --image FILE or --kernel FILE" : "--initrd, --cmdline, --vmbus, --no-enlightenments and --disk need --kernel");
        }
        long mem = memory == 0 ? LinuxGuestRun.DEFAULT_MEMORY : memory;
        if (mem < (16L << 20)) {
            return bad(err, "a Linux guest needs at least 16M of memory, --memory is " + ByteSizes.human(mem));
        }
        List<DiskSpec> specs = new ArrayList<>();
        for (String d : disks) {
            try {
                specs.add(DiskSpec.parse(d));
            } catch (IllegalArgumentException e) {
                return bad(err, e.getMessage());
            }
        }
        return new LinuxGuestRun(kernel, initrd, cmdline == null ? LinuxGuestRun.DEFAULT_CMDLINE : cmdline, mem, cpus, backend,
                timeout, vmbus, specs, noEnlightenments ? Enlightenments.NONE : Enlightenments.ALL).run(out, err, consoleInput, saveOnSignal);
    }

    private static int bad(PrintWriter err, String message) {
        return RunOutcome.badInput(err, message);
    }
}
