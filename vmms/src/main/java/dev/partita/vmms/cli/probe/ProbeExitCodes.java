package dev.partita.vmms.cli.probe;

import dev.partita.hv.host.HostReport;

/** Exit status of {@code partita probe}; the same list is in its --help and in docs/probe.md. */
public final class ProbeExitCodes {

    /** The probe ran and KVM acceleration is usable (at least for CPL3 guest code). */
    public static final int USABLE = 0;
    /** Bad options (picocli's invalid-input code). */
    public static final int BAD_OPTIONS = 2;
    /** The probe itself could not run (CPUID could not be executed, /proc unreadable, internal error). */
    public static final int COULD_NOT_PROBE = 3;
    /** The probe ran; no usable acceleration: Partita would use the emulator for everything. */
    public static final int NO_ACCELERATION = 4;

    private ProbeExitCodes() {
    }

    /** The exit status for a finished probe. */
    public static int of(HostReport report) {
        return report.advice().kvmUsable() ? USABLE : NO_ACCELERATION;
    }
}
