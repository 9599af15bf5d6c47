package dev.partita.hv.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class BackendAdvisorTest {

    private static final Path DEV = Path.of("/dev/kvm");

    private static KvmFlavourFacts flavour(KvmFlavour f) {
        return new KvmFlavourFacts(f, "test", List.of(), Optional.empty());
    }

    private static KvmDeviceFacts.Opened opened(int api) {
        return new KvmDeviceFacts.Opened(DEV, Optional.empty(), api, List.of(), 1024, 2, 32764);
    }

    private static GuestTrialResult trial(boolean reached, double cpl0, double cpl3) {
        return new GuestTrialResult(Optional.empty(), true, reached, OptionalDouble.of(7), 100,
                OptionalDouble.of(cpl0), OptionalDouble.of(cpl0), OptionalDouble.of(cpl3), reached ? List.of() : List.of("KVM_RUN failed: EFAULT"));
    }

    @Test
    void absentDevicePicksEmulator() {
        BackendAdvice a = BackendAdvisor.advise(new KvmDeviceFacts.Absent(DEV, "no such file"),
                flavour(KvmFlavour.NONE), Optional.empty());
        assertEquals(BackendKind.EMULATOR, a.backend());
        assertFalse(a.kvmUsable());
        assertEquals("emulator: /dev/kvm is absent", a.reason());
    }

    @Test
    void unopenableDeviceNamesTheErrno() {
        BackendAdvice a = BackendAdvisor.advise(new KvmDeviceFacts.Unopenable(DEV, Optional.empty(), "ENODEV", "open: no such device"),
                flavour(KvmFlavour.NONE), Optional.empty());
        assertEquals(BackendKind.EMULATOR, a.backend());
        assertTrue(a.reason().contains("ENODEV"), a.reason());
    }

    @Test
    void wrongApiVersionPicksEmulator() {
        BackendAdvice a = BackendAdvisor.advise(opened(11), flavour(KvmFlavour.HARDWARE_VMX), Optional.empty());
        assertEquals(BackendKind.EMULATOR, a.backend());
        assertFalse(a.kvmUsable());
    }

    @Test
    void hardwareVmxPicksKvm() {
        BackendAdvice a = BackendAdvisor.advise(opened(12), flavour(KvmFlavour.HARDWARE_VMX), Optional.of(trial(true, 3e9, 3e9)));
        assertEquals(BackendKind.KVM, a.backend());
        assertTrue(a.cpl0Native());
        assertEquals("kvm: hardware VMX", a.reason());
    }

    @Test
    void pvmUsesKvmForCpl3ButPicksEmulatorForKernels() {
        BackendAdvice a = BackendAdvisor.advise(opened(12), flavour(KvmFlavour.PVM), Optional.of(trial(true, 1.1e6, 2.6e9)));
        assertEquals(BackendKind.EMULATOR, a.backend());
        assertTrue(a.kvmUsable());
        assertFalse(a.cpl0Native());
        assertTrue(a.reason().contains("1.1 MIPS"), a.reason());
        // without a functional test the flavour alone decides the same way
        assertEquals(BackendKind.EMULATOR, BackendAdvisor.advise(opened(12), flavour(KvmFlavour.PVM), Optional.empty()).backend());
    }

    @Test
    void measuredSlowCpl0OverridesAHardwareLookingFlavour() {
        BackendAdvice a = BackendAdvisor.advise(opened(12), flavour(KvmFlavour.UNKNOWN), Optional.of(trial(true, 1e6, 1e9)));
        assertEquals(BackendKind.EMULATOR, a.backend());
        assertTrue(a.kvmUsable());
    }

    @Test
    void guestThatNeverRanPicksEmulator() {
        BackendAdvice a = BackendAdvisor.advise(opened(12), flavour(KvmFlavour.HARDWARE_SVM), Optional.of(trial(false, 0, 0)));
        assertEquals(BackendKind.EMULATOR, a.backend());
        assertFalse(a.kvmUsable());
        assertTrue(a.reason().contains("EFAULT"), a.reason());
    }
}
