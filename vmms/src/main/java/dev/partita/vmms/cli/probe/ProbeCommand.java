package dev.partita.vmms.cli.probe;

import dev.partita.hv.host.HostPaths;
import dev.partita.hv.host.HostProbe;
import dev.partita.hv.host.HostReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code partita probe}: what this host can do for virtualization, as a table or JSON. */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {
            "Probe this host for virtualization: CPU identity and virtualization bits (CPUID run on the host, "
                    + "checked against /proc/cpuinfo), the hypervisor underneath, /dev/kvm (API version, "
                    + "capabilities, flavour: hardware VMX/SVM or PVM, nesting, limits), IOMMU presence, and a "
                    + "functional test with tiny guests (port-I/O exit round trip, guest instructions per second at "
                    + "CPL0 and CPL3). Ends with the backend Partita's 'auto' would pick and why.",
            "Keys of --json are documented in docs/probe.md."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the probe ran and KVM acceleration is usable (on PVM hosts: for CPL3 guest code)",
            "2:bad options",
            "3:could not probe (CPUID could not be executed on the host, /proc unreadable, internal error)",
            "4:no usable acceleration: /dev/kvm absent, not openable, wrong API version, or no guest ran"
        },
        usageHelpAutoWidth = true)
public final class ProbeCommand implements Callable<Integer> {

    private static final System.Logger LOG = System.getLogger(ProbeCommand.class.getName());

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON (for scripts) instead of a table.")
    boolean json;

    @Option(names = "--no-guest", description = "Skip the functional test (no VM is created; faster).")
    boolean noGuest;

    /** Hidden: probe another device node (tests simulate an absent /dev/kvm with a nonexistent path). */
    @Option(names = "--kvm-device", hidden = true, paramLabel = "PATH")
    Path kvmDevice = HostPaths.DEFAULT_KVM_DEVICE;

    /** Hidden: read /proc facts from another folder (tests make the probe fail with a missing one). */
    @Option(names = "--proc-root", hidden = true, paramLabel = "PATH")
    Path procRoot = HostPaths.system().procRoot();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        HostReport report;
        try {
            HostPaths system = HostPaths.system();
            HostPaths paths = new HostPaths(kvmDevice, procRoot, system.sysRoot());
            report = HostProbe.forThisHost(paths).run(!noGuest);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "probe failed", e);
            String error = "could not probe this host: " + e.getMessage();
            if (json) {
                out.println(new ProbeJsonWriter().writeFailure(error, ProbeExitCodes.COULD_NOT_PROBE));
                out.flush();
            } else {
                spec.commandLine().getErr().println("partita probe: " + error);
                spec.commandLine().getErr().flush();
            }
            return ProbeExitCodes.COULD_NOT_PROBE;
        }
        int exit = ProbeExitCodes.of(report);
        out.print(json ? new ProbeJsonWriter().write(report, exit) + System.lineSeparator()
                : new ProbeTableWriter().write(report));
        out.flush();
        return exit;
    }
}
