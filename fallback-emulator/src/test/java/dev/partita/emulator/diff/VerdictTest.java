package dev.partita.emulator.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparator itself: what counts as a mismatch, an undefined-only difference, or an error-code difference Linux hides. */
class VerdictTest {

    private static DiffCase oneInstruction(int undefinedAfter, boolean resultUndefinedAfter) {
        return new DiffCase("alu", "test", new byte[] {0x48, 0x01, (byte) 0xC8}, List.of("add rax, rcx"), List.of(0),
                new long[16], 0, 1, new long[32], 0x1F80, new int[] {0, undefinedAfter},
                new boolean[] {false, resultUndefinedAfter});
    }

    private static Outcome done(long rflags, long rax) {
        long[] gpr = new long[16];
        gpr[0] = rax;
        return new Outcome(Outcome.Kind.DONE, 0, 0, 0, DiffLayout.CODE_BASE + 3, rflags, gpr, new long[32], 0x1F80,
                new long[0]);
    }

    private static Outcome pageFault(long err, long cr2, long rflags) {
        return new Outcome(Outcome.Kind.FAULT, 14, err, cr2, DiffLayout.CODE_BASE, rflags, new long[16], new long[32],
                0x1F80, new long[0]);
    }

    @Test
    void identicalOutcomesMatch() {
        assertEquals(Verdict.Kind.MATCH, Verdict.of(oneInstruction(0, false), done(0x202, 5), done(0x202, 5)).kind());
    }

    @Test
    void aDefinedFlagDifferenceIsAMismatch() {
        assertEquals(Verdict.Kind.MISMATCH,
                Verdict.of(oneInstruction(0, false), done(0x202, 5), done(0x202 | 0x800, 5)).kind());
    }

    @Test
    void anUndefinedFlagDifferenceIsReportedNotFailed() {
        Verdict v = Verdict.of(oneInstruction(0x10, false), done(0x202, 5), done(0x212, 5));
        assertEquals(Verdict.Kind.UNDEFINED_ONLY, v.kind());
        assertEquals(0x10, v.undefinedBits());
    }

    @Test
    void registerDifferencesFailUnlessTheResultIsUndefined() {
        assertEquals(Verdict.Kind.MISMATCH, Verdict.of(oneInstruction(0, false), done(0x202, 5), done(0x202, 6)).kind());
        assertEquals(Verdict.Kind.UNDEFINED_ONLY,
                Verdict.of(oneInstruction(0, true), done(0x202, 5), done(0x202, 6)).kind());
    }

    @Test
    void uncomparedFlagBitsAreIgnored() {
        // RF (bit 16) appears in the host's fault frames; TF/AC/VM are never set by the cases.
        assertEquals(Verdict.Kind.MATCH,
                Verdict.of(oneInstruction(0, false), done(0x10202, 5), done(0x202, 5)).kind());
    }

    @Test
    void faultsMustAgreeOnErrorCodeAndCr2() {
        DiffCase c = oneInstruction(0, false);
        assertEquals(Verdict.Kind.MATCH, Verdict.of(c, pageFault(6, 0x202000, 0x202), pageFault(6, 0x202000, 0x202)).kind());
        assertEquals(Verdict.Kind.MISMATCH, Verdict.of(c, pageFault(6, 0x202000, 0x202), pageFault(6, 0x202008, 0x202)).kind());
        assertEquals(Verdict.Kind.MISMATCH, Verdict.of(c, pageFault(6, 0x202000, 0x202), pageFault(4, 0x202000, 0x202)).kind());
    }

    @Test
    void linuxHidesThePresentBitForKernelHalfAddresses() {
        DiffCase c = oneInstruction(0, false);
        long kernel = 0xFFFF_FFFF_8000_0000L;
        assertEquals(Verdict.Kind.MATCH, Verdict.of(c, pageFault(7, kernel, 0x202), pageFault(6, kernel, 0x202)).kind());
        long guardPage = 0x7FFF_FFFF_FFC5L; // the top user page is Linux's guard page, treated like the kernel half
        assertEquals(Verdict.Kind.MATCH, Verdict.of(c, pageFault(7, guardPage, 0x202), pageFault(6, guardPage, 0x202)).kind());
        long user = 0x7FFF_FFFF_EFC5L;
        assertEquals(Verdict.Kind.MISMATCH, Verdict.of(c, pageFault(7, user, 0x202), pageFault(6, user, 0x202)).kind());
    }
}
