package dev.partita.vmms.cli.vm;

import dev.partita.hv.loader.ByteSizes;
import dev.partita.vmms.api.VmView;

import java.io.PrintWriter;
import java.util.List;

/** The human-readable forms of VM views: a table of many, a block of one. Stateless. */
final class VmTable {
    private VmTable() {
    }

    static void print(PrintWriter out, List<VmView> vms) {
        String fmt = "%-20s %-9s %4s %8s %9s %-11s %s%n";
        out.printf(fmt, "NAME", "STATE", "CPUS", "MEMORY", "UPTIME", "HEARTBEAT", "REASON");
        for (VmView v : vms) {
            out.printf(fmt, v.name(), v.state(), v.cpus(), ByteSizes.human(v.memory()), uptime(v.uptimeSeconds()), v.heartbeat(),
                    v.reason());
        }
    }

    static void printOne(PrintWriter out, VmView v) {
        out.printf("Name:      %s%n", v.name());
        out.printf("State:     %s%n", v.state());
        out.printf("Reason:    %s%n", v.reason());
        out.printf("Uptime:    %s%n", uptime(v.uptimeSeconds()));
        out.printf("Heartbeat: %s%n", v.heartbeat());
        out.printf("CPUs:      %d%n", v.cpus());
        out.printf("Memory:    %s%n", ByteSizes.human(v.memory()));
        out.printf("Backend:   %s%n", v.backend());
        out.printf("Disks:     %s%n", v.disks().isEmpty() ? "none" : String.join(", ", v.disks()));
        out.printf("Worker:    %s%n", v.workerPid() == 0 ? "none" : Long.toString(v.workerPid()));
    }

    static String uptime(long s) {
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
