package dev.partita.guests;

import dev.partita.hv.PartitionResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The self-checking guests of {@code guests/} (see guests/README.md for what each checks) run through
 * the public hv-runtime API on every backend and must exit with code 0: a non-zero code is the number of
 * the guest's first failed check, and the assertion message carries the guest's console, which names it.
 * Backends that cannot run here are skipped with the reason printed, and so are the few failures that a
 * PVM host's KVM produces for reasons outside Partita ({@link PvmKnownFailures}, matched narrowly).
 */
class SelfCheckingGuestsTest {
    /** Generous: under KVM on a host without VT-x/AMD-V (PVM) CPL0 code runs at about 1 MIPS. */
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    static final List<String> GUESTS = List.of("real-mode.bin", "pm32.elf", "long64.elf", "cpl3.elf", "exit-loop.bin");

    /** The guests above plus those named in {@code -Dpartita.guests.extra=a.elf,b.bin} (e.g. cpl3-bench.elf). */
    static Stream<Arguments> guestsOnBackends() {
        String extra = System.getProperty("partita.guests.extra", "");
        Stream<String> guests = Stream.concat(GUESTS.stream(),
                Stream.of(extra.split(",")).map(String::strip).filter(n -> !n.isEmpty()));
        return guests.flatMap(g -> BackendUnderTest.ALL.stream().map(b -> Arguments.of(g, b)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("guestsOnBackends")
    void guestPassesAllItsChecks(String guest, BackendUnderTest backend) {
        backend.assumeUsable();
        GuestOutcome outcome = GuestRunner.run(guest, backend, TIMEOUT);
        System.out.println(guest + " on " + backend + ": " + outcome.result().report().lines().findFirst().orElse("")
                + " in " + outcome.millis() + " ms");
        PvmKnownFailures.explain(outcome).ifPresent(reason -> {
            System.out.println("SKIP " + guest + " on " + backend + ": " + reason);
            Assumptions.abort(reason);
        });
        assertEquals(new PartitionResult.Exited(0), outcome.result(), outcome.describe());
        assertTrue(outcome.console().contains("exit 0x00"), "the guest's own exit line is missing\n" + outcome.describe());
        assertTrue(!outcome.console().contains("FAIL") && !outcome.console().contains("mmio device absent"),
                outcome.describe());
    }
}
