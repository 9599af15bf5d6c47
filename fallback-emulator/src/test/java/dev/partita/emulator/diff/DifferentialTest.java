package dev.partita.emulator.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.emulator.diff.gen.CaseGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The differential test: at least 200,000 generated cases run natively on this host (through the
 * native oracle, in a child process) and in the emulator; final GPRs, compared RFLAGS bits, XMM,
 * touched memory and faults (vector, error code, CR2, RIP) must agree. Differences confined to
 * flags/results the SDM calls undefined are listed per form (the emulator aims to match this host,
 * so they are worth fixing, but they do not fail the build). Families the emulator cannot run yet
 * are listed in {@link #NOT_YET_COMPARED} and logged, not run. There is no allow-list of known
 * divergences: every mismatch fails the run.
 *
 * <p>System properties: {@code partita.diff.seed} (default fixed), {@code partita.diff.scale}
 * (multiplies every family's count; default 1), {@code partita.diff.families} (comma-separated
 * subset), {@code partita.diff.print} (how many mismatches to print in full, default 15).
 */
class DifferentialTest {

    /** Cases per family in CI (sums to 290,000). */
    static final Map<String, Integer> PLAN = new LinkedHashMap<>();

    static {
        PLAN.put("alu", 32_000);
        PLAN.put("unary", 10_000);
        PLAN.put("shift", 26_000);
        PLAN.put("dshift", 10_000);
        PLAN.put("bittest", 10_000);
        PLAN.put("bitscan", 6_000);
        PLAN.put("bitcount", 4_000);
        PLAN.put("muldiv", 16_000);
        PLAN.put("exchange", 10_000);
        PLAN.put("move", 8_000);
        PLAN.put("cond", 12_000);
        PLAN.put("control", 8_000);
        PLAN.put("lea", 8_000);
        PLAN.put("string", 10_000);
        PLAN.put("stack", 8_000);
        PLAN.put("misc", 8_000);
        PLAN.put("seq", 16_000);
        PLAN.put("sse", 12_000);
        PLAN.put("ssefp", 12_000);
        PLAN.put("randbytes", 12_000);
        PLAN.put("x87", 52_000);
    }

    /** Families not compared yet, with the reason (kept empty once the emulator runs them all). */
    static final Map<String, String> NOT_YET_COMPARED = new TreeMap<>();

    private static final int BATCH = 4_000;
    private static final int PRINT_LIMIT = 15;

    @Test
    void emulatorMatchesHostCpu() {
        OracleProgram.Built built = OracleProgram.build();
        if (!built.available()) {
            System.out.println("SKIP DifferentialTest: " + built.skipReason());
        }
        Assumptions.assumeTrue(built.available(), built.skipReason());
        long seed = Long.getLong("partita.diff.seed", 0x5EED_2026L);
        double scale = Double.parseDouble(System.getProperty("partita.diff.scale", "1"));
        String only = System.getProperty("partita.diff.families", "");
        int printLimit = Integer.getInteger("partita.diff.print", PRINT_LIMIT);

        Map<String, int[]> perFamily = new LinkedHashMap<>();   // compared, mismatches, undefinedOnly
        Map<String, long[]> undefinedByForm = new TreeMap<>();  // form -> {cases, flag bits}
        int compared = 0;
        int mismatches = 0;
        int hostTimeouts = 0;
        long start = System.nanoTime();
        try (NativeOracle host = new NativeOracle(built.exe()); EmulatorRunner emu = new EmulatorRunner(host.exitStub())) {
            for (Map.Entry<String, Integer> e : PLAN.entrySet()) {
                String family = e.getKey();
                boolean named = !only.isEmpty() && List.of(only.split(",")).contains(family);
                if ((NOT_YET_COMPARED.containsKey(family) && !named) || (!only.isEmpty() && !named)) {
                    continue;
                }
                int count = (int) Math.max(1, Math.round(e.getValue() * scale));
                int[] stats = new int[3];
                for (int from = 0; from < count; from += BATCH) {
                    int to = Math.min(count, from + BATCH);
                    List<DiffCase> cases = CaseGenerator.range(family, seed, from, to);
                    List<Outcome> h = host.run(cases);
                    List<Outcome> m = emu.run(cases);
                    for (int i = 0; i < cases.size(); i++) {
                        DiffCase c = cases.get(i);
                        Verdict v = Verdict.of(c, h.get(i), m.get(i));
                        switch (v.kind()) {
                            case MATCH -> { }
                            case HOST_TIMEOUT -> hostTimeouts++;
                            case UNDEFINED_ONLY -> {
                                stats[2]++;
                                long[] u = undefinedByForm.computeIfAbsent(c.form(), k -> new long[2]);
                                u[0]++;
                                u[1] |= v.undefinedBits();
                            }
                            case MISMATCH -> {
                                stats[1]++;
                                if (mismatches < printLimit) {
                                    System.out.print(CaseReport.of(c, from + i, h.get(i), m.get(i), v));
                                }
                                mismatches++;
                            }
                        }
                        if (v.kind() != Verdict.Kind.HOST_TIMEOUT) {
                            stats[0]++;
                            compared++;
                        }
                    }
                }
                perFamily.put(family, stats);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("differential: per family (cases/mismatches/undefined-only): ");
        perFamily.forEach((f, s) -> System.out.printf("  %-10s %7d %6d %6d%n", f, s[0], s[1], s[2]));
        if (!undefinedByForm.isEmpty()) {
            System.out.println("differential: forms whose SDM-undefined flags/results differ from this host "
                    + "(emulator should match the host; not failures):");
            undefinedByForm.forEach((form, u) -> System.out.printf("  %-28s %6d cases, flags %s%n", form, u[0],
                    u[1] == 0 ? "(result only)" : Verdict.flagNames(u[1])));
        }
        if (!NOT_YET_COMPARED.isEmpty()) {
            System.out.println("differential: NOT YET COMPARED: " + NOT_YET_COMPARED);
        }
        if (hostTimeouts > 0) {
            System.out.println("differential: " + hostTimeouts + " cases timed out on the host (not compared)");
        }
        System.out.printf("differential: %d cases, %d mismatches (%.1f s)%n", compared, mismatches, seconds);
        assertEquals(0, mismatches, "emulator/host mismatches (first " + PRINT_LIMIT + " printed above)");
        if (scale >= 1 && only.isEmpty()) {
            assertTrue(compared >= 200_000, "at least 200,000 cases must be compared, got " + compared);
        }
    }
}
