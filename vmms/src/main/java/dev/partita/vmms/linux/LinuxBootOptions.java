package dev.partita.vmms.linux;

import dev.partita.hv.BackendChoice;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.hv.boot.LinuxKernel;
import dev.partita.hv.boot.MultibootKernel;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.vmms.cli.RunOutcome;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel options of {@code partita run} (a picocli mixin): --kernel, --initrd, --cmdline, --vmbus, --disk,
 * --isa-debug-exit. With --kernel the run boots the kernel instead of a test image: a multiboot (version 1)
 * kernel through {@link MultibootRun}, anything else as Linux through {@link LinuxGuestRun}.
 */
public final class LinuxBootOptions {
    @Option(names = "--kernel", paramLabel = "FILE",
            description = {"Boot this kernel instead of --image: Linux (bzImage/vmlinuz, or a vmlinux with a PVH entry) or a "
                    + "multiboot (version 1) kernel, which gets its command line (the kernel path, then --cmdline), a memory map "
                    + "and one module per --initrd. "
                    + "COM1 is the console: its output goes to stdout and what you type goes to the guest (a terminal is put "
                    + "in raw mode, so Ctrl-C reaches the guest). Press Ctrl-] then q to stop the guest. The guest's "
                    + "poweroff exits with 0, a guest reboot stops it with 125, and so does a guest crash report (with --vmbus; the "
                    + "report with the guest's panic text goes to stderr). --memory defaults to 512M here."})
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE",
            description = "Initial RAM disk (initramfs) for a Linux --kernel; for a multiboot kernel, a module (repeatable, in order).")
    List<Path> initrds = new ArrayList<>();

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

    @Option(names = "--isa-debug-exit",
            description = "Multiboot kernels: port 0xF4 is QEMU's isa-debug-exit device; writing V ends the run with exit status "
                    + "(V << 1) | 1.")
    boolean isaDebugExit;

    /** Whether any kernel option was given. */
    public boolean requested() {
        return kernel != null || !initrds.isEmpty() || cmdline != null || vmbus || noEnlightenments || !disks.isEmpty()
                || isaDebugExit;
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
            return bad(err, image == null ? "missing --image FILE or --kernel FILE"
                    : "--initrd, --cmdline, --vmbus, --no-enlightenments, --disk and --isa-debug-exit need --kernel");
        }
        List<DiskSpec> specs = new ArrayList<>();
        for (String d : disks) {
            try {
                specs.add(DiskSpec.parse(d));
            } catch (IllegalArgumentException e) {
                return bad(err, e.getMessage());
            }
        }
        byte[] kernelBytes;
        try {
            kernelBytes = LinuxKernel.readFile(kernel);
        } catch (ImageLoadException e) {
            return bad(err, e.getMessage());
        }
        if (MultibootKernel.isMultiboot(kernelBytes)) {
            if (vmbus || !disks.isEmpty()) {
                return bad(err, "--vmbus and --disk are for Linux kernels; " + kernel + " is a multiboot kernel");
            }
            return new MultibootRun(kernel, kernelBytes, initrds, cmdline == null ? "" : cmdline,
                    memory == 0 ? MultibootRun.DEFAULT_MEMORY : memory, cpus, backend, timeout, isaDebugExit).run(out, err, consoleInput);
        }
        if (isaDebugExit) {
            return bad(err, "--isa-debug-exit is for multiboot kernels; " + kernel + " has no multiboot header");
        }
        if (initrds.size() > 1) {
            return bad(err, "a Linux kernel takes one --initrd, got " + initrds.size());
        }
        Path initrd = initrds.isEmpty() ? null : initrds.getFirst();
        long mem = memory == 0 ? LinuxGuestRun.DEFAULT_MEMORY : memory;
        if (mem < (16L << 20)) {
            return bad(err, "a Linux guest needs at least 16M of memory, --memory is " + ByteSizes.human(mem));
        }
        return new LinuxGuestRun(kernel, initrd, cmdline == null ? LinuxGuestRun.DEFAULT_CMDLINE : cmdline, mem, cpus, backend,
                timeout, vmbus, specs, noEnlightenments ? Enlightenments.NONE : Enlightenments.ALL).run(out, err, consoleInput, saveOnSignal);
    }

    private static int bad(PrintWriter err, String message) {
        return RunOutcome.badInput(err, message);
    }
}
