package dev.partita.emulator.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.emulator.diff.gen.CaseGenerator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native oracle itself: known instructions give the architecturally required results and faults. */
class NativeOracleTest {

    private static NativeOracle oracle;

    @BeforeAll
    static void start() {
        OracleProgram.Built built = OracleProgram.build();
        if (!built.available()) {
            System.out.println("SKIP NativeOracleTest: " + built.skipReason());
        }
        Assumptions.assumeTrue(built.available(), built.skipReason());
        oracle = new NativeOracle(built.exe());
    }

    @AfterAll
    static void stop() {
        if (oracle != null) {
            oracle.close();
        }
    }

    private static DiffCase raw(long[] gpr, long rflags, int... code) {
        byte[] b = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = (byte) code[i];
        }
        long[] regs = new long[16];
        System.arraycopy(gpr, 0, regs, 0, gpr.length);
        return new DiffCase("manual", "manual", b, List.of(), List.of(0), regs, rflags, 42, new long[32], 0x1F80,
                new int[] {0, 0}, new boolean[] {false, false});
    }

    private static Outcome one(DiffCase c) {
        return oracle.run(List.of(c)).get(0);
    }

    @Test
    void addSetsResultAndFlags() {
        Outcome o = one(raw(new long[] {-1L, 1}, 0, 0x48, 0x01, 0xC8)); // add rax, rcx
        assertEquals(Outcome.Kind.DONE, o.kind());
        assertEquals(0, o.gpr()[0]);
        assertEquals(0x55, o.rflags() & 0xCD5, "CF PF AF ZF set"); // CF|PF|AF|ZF
        assertEquals(DiffLayout.CODE_BASE + 3, o.rip());
    }

    @Test
    void divideByZeroIsVector0AtTheInstruction() {
        Outcome o = one(raw(new long[] {5, 0}, 0, 0x48, 0xF7, 0xF1)); // div rcx
        assertEquals(Outcome.Kind.FAULT, o.kind());
        assertEquals(0, o.vector());
        assertEquals(DiffLayout.CODE_BASE, o.rip());
    }

    @Test
    void int1IsATrapReportedAfterTheInstruction() {
        Outcome o = one(raw(new long[0], 0, 0x2E, 0x41, 0xF1, 0x90)); // cs rex.b int1 ; nop
        assertEquals(Outcome.Kind.FAULT, o.kind());
        assertEquals(1, o.vector());
        assertEquals(DiffLayout.CODE_BASE + 3, o.rip(), "SDM: INT1's #DB is a trap (host reports "
                + oracle.int1Report() + ")");
    }

    @Test
    void int3IsATrapReportedAfterTheInstruction() {
        Outcome o = one(raw(new long[0], 0, 0x90, 0xCC));
        assertEquals(3, o.vector());
        assertEquals(DiffLayout.CODE_BASE + 2, o.rip());
    }

    @Test
    void ud2IsVector6() {
        Outcome o = one(raw(new long[0], 0, 0x0F, 0x0B));
        assertEquals(6, o.vector());
    }

    @Test
    void pageFaultsCarryErrorCodeAndCr2() {
        long[] g = new long[4];
        g[3] = 0x30_0000L; // mov rax, [rbx]: not present, user read
        Outcome read = one(raw(g, 0, 0x48, 0x8B, 0x03));
        assertEquals(14, read.vector());
        assertEquals(0x4, read.errorCode());
        assertEquals(0x30_0000L, read.cr2());
        g[3] = DiffLayout.CODE_BASE; // mov [rbx], rax: present read-only, user write
        Outcome write = one(raw(g, 0, 0x48, 0x89, 0x03));
        assertEquals(0x7, write.errorCode());
        g[3] = DiffLayout.DATA_BASE; // jmp rbx: fetch from a no-execute page
        Outcome fetch = one(raw(g, 0, 0xFF, 0xE3));
        assertEquals(0x15, fetch.errorCode());
        assertEquals(DiffLayout.DATA_BASE, fetch.rip());
    }

    @Test
    void nonCanonicalIsGeneralProtection() {
        long[] g = new long[4];
        g[3] = 0x8000_0000_0000_0000L;
        Outcome o = one(raw(g, 0, 0x48, 0x8B, 0x03));
        assertEquals(13, o.vector());
        assertEquals(0, o.errorCode());
    }

    @Test
    void storesShowUpAsMemoryDiffsAgainstTheSeededImage() {
        long[] g = new long[5];
        g[0] = 0x1122_3344_5566_7788L;
        g[3] = DiffLayout.DATA_BASE + 0x10;
        g[4] = DiffLayout.DATA_BASE + 0x100;
        Outcome o = one(raw(g, 0, 0x48, 0x89, 0x03, 0x50)); // mov [rbx], rax; push rax
        assertEquals(Outcome.Kind.DONE, o.kind());
        assertArrayEquals(new long[] {0x10, g[0], 0xF8, g[0]}, o.memDiff());
        assertEquals(DiffLayout.DATA_BASE + 0xF8, o.gpr()[4]);
    }

    @Test
    void dataImageMatchesTheOracle() {
        long[] words = DataImage.words(42);
        long[] g = new long[4];
        g[3] = DiffLayout.DATA_BASE + 0x18;
        Outcome o = one(raw(g, 0, 0x48, 0x8B, 0x03)); // mov rax, [rbx]
        assertEquals(words[3], o.gpr()[0]);
    }

    @Test
    void directionAndArithmeticFlagsGoInAndComeOut() {
        Outcome o = one(raw(new long[0], 0x400 | 0x1, 0x90)); // nop with DF and CF set
        assertEquals(0x401, o.rflags() & 0x401);
    }

    /** Every generator family runs natively without a timeout; prints the fault mix per family. */
    @Test
    void generatedFamiliesRunNatively() {
        Map<String, String> mix = new TreeMap<>();
        for (String f : CaseGenerator.families()) {
            List<DiffCase> cases = CaseGenerator.range(f, 1, 0, 500);
            List<Outcome> out = oracle.run(cases);
            int faults = 0;
            int timeouts = 0;
            for (Outcome o : out) {
                faults += o.kind() == Outcome.Kind.FAULT ? 1 : 0;
                timeouts += o.kind() == Outcome.Kind.TIMEOUT ? 1 : 0;
            }
            mix.put(f, faults + " faults");
            assertEquals(0, timeouts, f + ": native timeouts");
            if (!f.equals("randbytes")) {
                assertTrue(faults < 250, f + ": most cases should complete, " + faults + "/500 faulted");
            }
        }
        System.out.println("NativeOracleTest: fault mix per 500 cases " + mix);
    }

}
