package dev.partita.emulator.backend;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.cpuid.CpuidProfile;
import dev.partita.hv.cpuid.CpuidRegister;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPUID profile the emulator backend presents: hv-runtime's baseline (the features the
 * emulator implements) plus the time-stamp-counter leaves, which only the backend can state:
 * leaf 0x15 with a 1 GHz crystal (the emulated local APIC's bus clock, so Linux derives both the
 * TSC and the APIC timer rate from it without calibrating against the PIT) and the TSC/crystal
 * ratio of the {@link dev.partita.emulator.system.TscClock}, and leaf 0x16 with the same
 * frequencies in MHz. The highest basic leaf is raised to 0x16 accordingly. Stateless.
 */
final class EmulatorCpuidProfile {

    /** The emulated crystal (= local APIC bus) frequency. */
    static final int CRYSTAL_HZ = 1_000_000_000;

    private EmulatorCpuidProfile() {
    }

    /** The profile for a TSC running at {@code tscHz}. */
    static CpuidProfile forTsc(long tscHz) {
        CpuidProfile base = CpuidProfile.baseline();
        int mhz = (int) (tscHz / 1_000_000L);
        List<CpuidEntry> out = new ArrayList<>();
        for (CpuidEntry e : base.entries()) {
            if (e.leaf() == 0x15 || e.leaf() == 0x16) {
                continue;
            }
            if (e.leaf() == 0 && Integer.compareUnsigned(e.value().eax(), 0x16) < 0) {
                e = e.withValue(e.value().with(CpuidRegister.EAX, 0x16));
            }
            out.add(e);
        }
        // TSC Hz = crystal Hz * EBX / EAX.
        out.add(CpuidEntry.of(0x15, 1000, mhz, CRYSTAL_HZ, 0));
        out.add(CpuidEntry.of(0x16, mhz, mhz, CRYSTAL_HZ / 1_000_000, 0));
        return new CpuidProfile(base.name() + " with TSC leaves", base.origin(), out);
    }
}
