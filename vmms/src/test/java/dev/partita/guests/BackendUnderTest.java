package dev.partita.guests;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.spi.BackendAvailability;
import org.junit.jupiter.api.Assumptions;

import java.util.List;

/**
 * A backend the guest suite runs on. {@link #assumeUsable} skips the calling test, printing why, when
 * the backend cannot run here ("kvm": /dev/kvm missing or unusable; "emulator": not installed on this
 * class path until the fallback-emulator registers it) or the guest images are not built.
 */
record BackendUnderTest(String name) {
    /** Every backend the suite knows, in the order tests are reported. */
    static final List<BackendUnderTest> ALL = List.of(new BackendUnderTest("kvm"), new BackendUnderTest("emulator"));

    void assumeUsable() {
        GuestImages.unavailableReason().ifPresent(reason -> skip("guest images unavailable: " + reason));
        BackendAvailability a = Hypervisor.get().availability(name);
        if (!a.usable()) {
            skip("backend " + name + " unusable: " + a.reason());
        }
    }

    private static void skip(String reason) {
        System.out.println("SKIP guest suite: " + reason);
        Assumptions.abort(reason);
    }

    @Override
    public String toString() {
        return name;
    }
}
