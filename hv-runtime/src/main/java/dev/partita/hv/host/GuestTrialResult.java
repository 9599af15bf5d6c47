package dev.partita.hv.host;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The functional test: tiny guests run on /dev/kvm and measured.
 *
 * @param skipped             why the test did not run (no device, disabled by the caller); empty when it ran
 * @param vmCreated           KVM_CREATE_VM and a vCPU succeeded
 * @param guestReached        a real-mode guest executed and its OUT reached user space
 * @param exitRoundTripMicros median port-I/O exit round trip (KVM_RUN → OUT exit → KVM_RUN), real mode
 * @param exitSamples         how many OUT exits the median is taken over
 * @param cpl0Ips             guest instructions per second at CPL0 (real mode dec/jnz loop)
 * @param cpl0LongModeIps     guest instructions per second at CPL0 in 64-bit long mode (where OS kernels run)
 * @param cpl3Ips             guest instructions per second at CPL3 (64-bit long mode dec/jnz loop)
 * @param problems            one line per step that failed or timed out, in order
 */
public record GuestTrialResult(Optional<String> skipped, boolean vmCreated, boolean guestReached,
                               OptionalDouble exitRoundTripMicros, int exitSamples,
                               OptionalDouble cpl0Ips, OptionalDouble cpl0LongModeIps, OptionalDouble cpl3Ips,
                               List<String> problems) {

    /** A test that did not run. */
    public static GuestTrialResult skipped(String reason) {
        return new GuestTrialResult(Optional.of(reason), false, false, OptionalDouble.empty(), 0,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), List.of());
    }

    /** True when the test ran (whatever its outcome). */
    public boolean ran() {
        return skipped.isEmpty();
    }
}
