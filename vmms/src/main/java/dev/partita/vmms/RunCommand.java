package dev.partita.vmms;

import dev.partita.vmms.cli.BackendChoiceConverter;
import dev.partita.hv.BackendChoice;
import dev.partita.hv.BackendInfo;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.BootStates;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.GuestImage;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.hv.state.Saveable;
import dev.partita.vmms.state.SaveOnSignal;
import dev.partita.vmms.state.SaveableVm;
import dev.partita.vmms.state.VmDescription;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.vmms.cli.RunOutcome;
import dev.partita.vmms.worker.VmDefinition;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code partita run --image FILE}: boots one guest image in a fresh partition with the debug
 * devices of guests/README.md attached, mirrors its 0xE9 console to stdout and exits with the
 * guest's exit code (or 124 timeout, 125 triple fault, 126 internal/entry failure, 2 bad input).
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run a guest image: a flat binary (loaded at 0x7C00, real mode) or an ELF32/ELF64 executable "
                    + "(PT_LOAD segments at their physical addresses, 32-bit protected mode at e_entry). "
                    + "The guest's port 0xE9 output is copied to stdout; its write to port 0xF4 ends the run "
                    + "with that exit code."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "N:the guest wrote N to port 0xF4 (0 = all its checks passed)",
            "2:bad options or a bad image (one-line message on stderr)",
            "124:the guest did not finish within --timeout",
            "125:the guest triple-faulted or shut down (report on stderr)",
            "126:the backend could not enter or run the guest, or an internal error (report on stderr)"
        },
        usageHelpAutoWidth = true)
public final class RunCommand implements Callable<Integer> {

    /** Exit status for bad input (options, image). */
    public static final int EXIT_BAD_INPUT = RunOutcome.EXIT_BAD_INPUT;
    /** Exit status when the partition could not be created or run. */
    public static final int EXIT_INTERNAL = RunOutcome.EXIT_INTERNAL;

    private static final System.Logger LOG = System.getLogger(RunCommand.class.getName());

    @Spec
    CommandSpec spec;

    private final InputStream consoleInput;

    /** {@code consoleInput} feeds a Linux guest's console (see {@link Main#commandLine(InputStream)}). */
    public RunCommand(InputStream consoleInput) {
        this.consoleInput = consoleInput;
    }

    @Option(names = "--image", paramLabel = "FILE", description = "The guest image to run (or --kernel for Linux).")
    Path image;

    /** --kernel, --initrd, --cmdline, --vmbus: a Linux guest instead of --image (dev.partita.vmms.linux). */
    @picocli.CommandLine.Mixin
    dev.partita.vmms.linux.LinuxBootOptions linux = new dev.partita.vmms.linux.LinuxBootOptions();

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto", converter = BackendChoiceConverter.class,
            description = "auto (KVM when usable, else the emulator), kvm or emulator (default: ${DEFAULT-VALUE}).")
    BackendChoice backend;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "32M", converter = MemorySizeConverter.class,
            description = "Guest RAM with a unit K, M or G, a multiple of 4 KiB, 1M to 64G; what does not fit below the MMIO hole "
                    + "at 3328M goes above 4 GiB (default: ${DEFAULT-VALUE}).")
    long memoryBytes;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1",
            description = "Number of virtual processors, 1-16 (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop the guest after this long and exit with 124: e.g. 500ms, 10s, 2m, 1h (default: none).")
    Duration timeout;

    @Option(names = "--save-on-signal", paramLabel = "FILE",
            description = "On SIGUSR1 or SIGTERM, save the VM state to FILE, stop and exit 0; 'partita restore FILE' "
                    + "continues it (with the same --disk files, which are not copied).")
    Path saveOnSignal;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (linux.requested() || image == null) {
            boolean memoryGiven = spec.commandLine().getParseResult() != null
                    && spec.commandLine().getParseResult().hasMatchedOption("--memory");
            return linux.run(out, err, consoleInput, image, backend, memoryGiven ? memoryBytes : 0, cpus, timeout, saveOnSignal);
        }
        if (cpus < 1 || cpus > VmDefinition.MAX_CPUS) {
            return badInput(err, "--cpus must be 1-" + VmDefinition.MAX_CPUS + ", got " + cpus);
        }
        GuestImage guest;
        try {
            guest = ImageSniffer.read(image);
        } catch (ImageLoadException e) {
            return badInput(err, e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, () -> "image " + image + ": " + guest.describe());

        Hypervisor hv = Hypervisor.get();
        for (BackendInfo b : hv.backends()) {
            LOG.log(System.Logger.Level.INFO, () -> "backend " + b);
        }
        if (backend != BackendChoice.AUTO) {
            BackendAvailability a = hv.availability(backend.id());
            if (!a.usable()) {
                return badInput(err, "backend '" + backend + "' cannot run here: " + a.reason());
            }
        }
        PartitionConfig config = new PartitionConfig(partitionName(), memoryBytes, cpus, backend);
        Partition partition;
        try {
            partition = hv.createPartition(config);
        } catch (IllegalArgumentException e) {
            return badInput(err, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "partition creation failed", e);
            return RunOutcome.internal(err, "could not create the partition: " + e.getMessage());
        }
        try (partition) {
            logChosenBackend(hv, partition.backendName(), backend);
            return boot(partition, guest, out, err);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "run failed", e);
            out.flush();
            return RunOutcome.internal(err, "internal error: " + e);
        }
    }

    /** Loads the image, sets the processors' boot states, attaches the debug devices, runs, maps the result. */
    private int boot(Partition partition, GuestImage guest, PrintWriter out, PrintWriter err) {
        LoadedImage loaded;
        try {
            loaded = guest.loadInto(partition.memory());
        } catch (ImageLoadException e) {
            return badInput(err, e.getMessage());
        }
        partition.processor(0).setState(loaded.bootState());
        for (int i = 1; i < partition.processors().size(); i++) {
            partition.processor(i).setState(BootStates.applicationProcessor());
        }
        List<Saveable> devices = DebugDevices.attach(partition, RunOutcome.consoleTo(out));
        SaveOnSignal saver = saveOnSignal == null ? null : SaveOnSignal.install(saveOnSignal,
                SaveableVm.controller(partition, SaveableVm.describe(VmDescription.IMAGE, partition), devices), partition, err);
        try {
            partition.start();
            PartitionResult result = partition.awaitExit(RunOutcome.waitFor(timeout));
            out.flush();
            LOG.log(System.Logger.Level.INFO, () -> "partition ended: " + result.report().lines().findFirst().orElse(""));
            int savedStatus = saver == null ? -1 : saver.outcome(err);
            return savedStatus >= 0 ? savedStatus : RunOutcome.exitStatus(err, result);
        } finally {
            if (saver != null) {
                saver.close();
            }
        }
    }

    private static void logChosenBackend(Hypervisor hv, String chosen, BackendChoice requested) {
        LOG.log(System.Logger.Level.INFO, () -> "running on backend " + chosen + (requested == BackendChoice.AUTO
                ? " (chosen by --backend auto: " + hv.autoReason() + "; " + chosen + ": " + hv.availability(chosen).reason() + ")"
                : " (requested; " + hv.availability(chosen).reason() + ")"));
    }

    private String partitionName() {
        Path name = image.getFileName();
        return name == null ? "guest" : name.toString();
    }

    private static int badInput(PrintWriter err, String message) {
        return RunOutcome.badInput(err, message);
    }

    /**
     * Parses --memory: units K/M/G/T (binary), page multiple, 1 MiB up to 64 GiB. RAM fills guest-physical
     * space from 0 up to the MMIO hole at 0xD0000000 and continues at 4 GiB ({@code PcRamLayout}).
     */
    public static final class MemorySizeConverter implements ITypeConverter<Long> {
        static final long MIN = 1L << 20;
        static final long MAX = 64L << 30;

        @Override
        public Long convert(String value) {
            long bytes;
            try {
                bytes = ByteSizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("memory size " + e.getMessage());
            }
            if (bytes < MIN) {
                throw new TypeConversionException("memory size '" + value + "' is " + ByteSizes.human(bytes)
                        + "; at least 1M is needed (a number without a unit is bytes: did you mean " + value.strip() + "M?)");
            }
            if (bytes > MAX) {
                throw new TypeConversionException("memory size '" + value + "' is more than 64G, the most a guest is given");
            }
            if (bytes % 4096 != 0) {
                throw new TypeConversionException("memory size '" + value + "' is not a multiple of 4K");
            }
            return bytes;
        }
    }

    /** Parses --timeout: a positive number with unit ms, s, m or h, or an ISO-8601 duration (PT10S). */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Duration MAX = Duration.ofDays(365);
        private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

        @Override
        public Duration convert(String value) {
            String v = value.strip();
            Duration d;
            Matcher m = SIMPLE.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                try {
                    d = Duration.parse(v.toUpperCase(Locale.ROOT));
                } catch (RuntimeException e) {
                    throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 10s, 2m, 1h)");
                }
            }
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException("timeout must be positive, got '" + value + "'");
            }
            if (d.compareTo(MAX) > 0) {
                throw new TypeConversionException("timeout '" + value + "' is longer than 365 days");
            }
            return d;
        }
    }
}
