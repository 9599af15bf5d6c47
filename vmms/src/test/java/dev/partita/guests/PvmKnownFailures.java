package dev.partita.guests;

import dev.partita.hv.PartitionResult;
import dev.partita.hv.host.HostPaths;
import dev.partita.hv.host.HostProbe;
import dev.partita.hv.host.KvmFlavour;

import java.util.List;
import java.util.Optional;

/**
 * Guest failures that KVM on a PVM host (kvm_pvm: no VT-x/AMD-V; guest CPL0 code is run by the host
 * kernel's instruction emulator) produces for reasons outside Partita, each observed on the build
 * machines and matched narrowly: the guest must have passed every section before the one named and
 * fail exactly there, in the stated way. The guests run those sections last for that reason
 * (guests/README.md). Anything else stays a test failure. Thread-safe.
 */
final class PvmKnownFailures {
    /**
     * @param guest   image name
     * @param tail    how the console must end (after trailing whitespace is stripped)
     * @param result  the result it must end with; null = an INTERNAL_ERROR "emulation failed"
     * @param why     the reason printed with the skip
     */
    private record Known(String guest, String tail, PartitionResult result, String why) {}

    private static final List<Known> KNOWN = List.of(
            new Known("real-mode.bin", "[timer] ok\n[bcd]", null, "KVM's instruction emulator has no DAA/AAA/AAS"),
            new Known("long64.elf", "[tsc] ok\n[cx16]", null, "KVM's instruction emulator has no CMPXCHG16B"),
            new Known("pm32.elf", "[cpuid] AuthenticAMD ok\n[traps]", null,
                    "KVM's instruction emulator cannot IRET in 32-bit protected mode (PVM also lacks 32-bit paging)"),
            new Known("pm32.elf", "[cpuid] GenuineIntel ok\n[traps]", null,
                    "KVM's instruction emulator cannot IRET in 32-bit protected mode (PVM also lacks 32-bit paging)"),
            new Known("cpl3.elf", " ok\n\nFAIL check 12: INT 0x80 from CPL3 raised #UD instead of reaching its DPL 3 gate\nexit 0x0c",
                    new PartitionResult.Exited(12), "INT 0x80 from CPL3 raises #UD for a guest kernel that is not PVM-enlightened"));

    private static volatile Boolean pvm;

    private PvmKnownFailures() {
    }

    /** Why {@code outcome} is an expected PVM failure, or empty when it is not one (or the host is not PVM). */
    static Optional<String> explain(GuestOutcome outcome) {
        if (!"kvm".equals(outcome.backend()) || !isPvmHost()) {
            return Optional.empty();
        }
        String console = outcome.console().stripTrailing();
        for (Known k : KNOWN) {
            if (k.guest.equals(outcome.guest()) && console.endsWith(k.tail) && resultMatches(k, outcome.result())) {
                return Optional.of("PVM host: " + k.why + "; " + outcome.guest() + " passed every check before that ("
                        + outcome.result().report().lines().findFirst().orElse("") + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean resultMatches(Known k, PartitionResult r) {
        if (k.result != null) {
            return k.result.equals(r);
        }
        return r instanceof PartitionResult.Failed f && f.kind() == PartitionResult.FailureKind.INTERNAL_ERROR
                && f.description().contains("emulation failed");
    }

    /** Whether /dev/kvm is PVM here (no VT-x/AMD-V: no 32-bit paging, CPL0 code run by the host's emulator). */
    static boolean isPvmHost() {
        Boolean known = pvm;
        if (known == null) {
            try {
                known = HostProbe.forThisHost(HostPaths.system()).run(false).flavour().flavour() == KvmFlavour.PVM;
            } catch (RuntimeException e) {
                known = false;
            }
            pvm = known;
        }
        return known;
    }
}
