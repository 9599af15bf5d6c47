package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.hv.cpuid.CpuidModel;
import dev.partita.hv.cpuid.CpuidResult;
import org.junit.jupiter.api.Test;

class EmulatorCpuidProfileTest {

    @Test
    void tscLeavesDescribeTheVirtualClockAndTheApicCrystal() {
        CpuidModel model = CpuidModel.builder(EmulatorCpuidProfile.forTsc(2_000_000_000L)).vcpus(1).build();
        assertTrue(Integer.compareUnsigned(model.lookup(0, 0, 0).eax(), 0x16) >= 0, "max basic leaf covers 0x16");
        CpuidResult tsc = model.lookup(0, 0x15, 0);
        assertEquals(1_000_000_000L, Integer.toUnsignedLong(tsc.ecx()), "crystal = APIC bus 1 GHz");
        assertEquals(2_000_000_000L, (long) tsc.ecx() * tsc.ebx() / tsc.eax(), "TSC = crystal * EBX / EAX");
        assertEquals(2000, model.lookup(0, 0x16, 0).eax(), "base MHz");
        CpuidModel baseline = CpuidModel.builder(dev.partita.hv.cpuid.CpuidProfile.baseline()).vcpus(1).build();
        assertEquals(baseline.lookup(0, 1, 0), model.lookup(0, 1, 0), "feature leaves unchanged");
        assertEquals(baseline.lookup(0, 0x8000_0001, 0), model.lookup(0, 0x8000_0001, 0));
    }
}
