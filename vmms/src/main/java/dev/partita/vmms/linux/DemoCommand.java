package dev.partita.vmms.linux;

import dev.partita.vmms.cli.BackendChoiceConverter;
import dev.partita.hv.BackendChoice;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.vmms.RunCommand;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.storage.ScratchDisks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code partita demo}: builds (once, then cached) the default Debian guest — the cloud kernel and a
 * busybox initramfs — and boots it like {@code partita run --kernel}.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Boot Partita's default Linux guest: Debian's linux-image-cloud-amd64 kernel with a busybox initramfs "
                    + "(downloaded with apt-get and built on first use, cached under $XDG_CACHE_HOME/partita or ~/.cache/partita). "
                    + "COM1 is the console; press Ctrl-] then q to stop the guest."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the guest powered off",
            "2:bad options, or the guest image could not be built (one-line message on stderr)",
            "124:the guest did not finish within --timeout",
            "125:the guest reset the machine or triple-faulted",
            "126:internal error"
        },
        usageHelpAutoWidth = true)
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final InputStream consoleInput;

    /** {@code consoleInput} feeds the guest's console (see {@code Main.commandLine(InputStream)}). */
    public DemoCommand(InputStream consoleInput) {
        this.consoleInput = consoleInput;
    }

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto", converter = BackendChoiceConverter.class,
            description = "auto, kvm or emulator (default: ${DEFAULT-VALUE}).")
    BackendChoice backend;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "512M", converter = RunCommand.MemorySizeConverter.class,
            description = "Guest RAM (default: ${DEFAULT-VALUE}).")
    long memoryBytes;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "Virtual processors (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--cmdline", paramLabel = "TEXT",
            description = "Extra kernel command-line text, appended to the default (e.g. partita.run=\"uname -a\" partita.poweroff).")
    String extraCmdline;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = RunCommand.DurationConverter.class,
            description = "Stop the guest after this long and exit with 124 (default: none).")
    Duration timeout;

    @Option(names = "--vmbus", description = "Offer the VMBus device in the ACPI tables, with a blank 64 MiB scratch disk "
            + "(a temporary file, /dev/sda in the guest with partita.modules) on the VMBus SCSI controller.")
    boolean vmbus;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DebianGuestImages.GuestFiles guest;
        try {
            guest = new DebianGuestImages(DebianGuestImages.defaultCacheRoot())
                    .defaultGuest(BuildProgress.lines(err, TerminalMode.stdinIsTerminal()));
        } catch (ImageBuildException e) {
            err.println("partita demo: " + e.getMessage());
            err.flush();
            return LinuxGuestRun.EXIT_BAD_INPUT;
        }
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + (extraCmdline == null ? "" : " " + extraCmdline.strip());
        err.println("partita demo: booting " + guest.kernelRelease() + " (Ctrl-] then q stops the guest)");
        err.flush();
        List<DiskSpec> disks = List.of();
        if (vmbus) {
            try {
                disks = List.of(ScratchDisks.create(ScratchDisks.DEMO_BYTES));
            } catch (IOException e) {
                err.println("partita demo: " + e.getMessage());
                err.flush();
                return LinuxGuestRun.EXIT_INTERNAL;
            }
        }
        return new LinuxGuestRun(guest.kernel(), guest.initramfs(), cmdline, memoryBytes, cpus, backend, timeout, vmbus, disks)
                .run(out, err, consoleInput);
    }
}
