/**
 * Differential testing of the emulator against the host CPU.
 *
 * <p>{@link dev.partita.emulator.diff.gen.CaseGenerator} makes deterministic cases (instruction
 * families, sequences, random bytes, SSE) with the encoder in {@code diff.asm} (validated against
 * GNU as/objdump by {@code X86AsmVsGasTest}). {@link dev.partita.emulator.diff.NativeOracle} runs them
 * natively in a child process ({@code src/test/c/diff_oracle.c}, built with gcc into the build
 * folder) and reports the SDM's outcome whichever way this host reports INT1 (a start-up self-check,
 * {@link dev.partita.emulator.diff.Int1Report}, printed as one line);
 * {@link dev.partita.emulator.diff.EmulatorRunner} runs them in the emulator through
 * {@code backend.CpuHarness}; {@link dev.partita.emulator.diff.Verdict} compares.
 *
 * <p>{@code DifferentialTest} options (system properties): {@code partita.diff.families=a,b}
 * (subset, also runs families listed as not yet compared), {@code partita.diff.scale=0.1},
 * {@code partita.diff.seed=N}, {@code partita.diff.print=N} (full reports printed). Every
 * mismatch fails the run (the former allow-list of known divergences is empty and was removed).
 * Example:
 * {@code mvn -o -pl fallback-emulator -Dpartita.out=target-X test -Dtest=DifferentialTest
 * -Dpartita.diff.families=ssefp -Dpartita.diff.print=50}.
 */
package dev.partita.emulator.diff;
