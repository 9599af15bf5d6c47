package dev.partita.emulator.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The self-check's classification and the SDM form of host outcomes, without running native code. */
class Int1ReportTest {

    private static Outcome fault(int vector, long rip) {
        return new Outcome(Outcome.Kind.FAULT, vector, 0, 0, rip, 0x202, new long[16], new long[32], 0x1F80,
                new long[0]);
    }

    private static DiffCase code(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new DiffCase("t", "t", b, List.of(), List.of(0), new long[16], 0, 1, new long[32], 0x1F80,
                new int[] {0, 0}, new boolean[] {false, false});
    }

    @Test
    void probeOutcomeClassifiesTheHost() {
        long base = DiffLayout.CODE_BASE;
        int len = Int1Report.probe().code().length;
        assertEquals(Int1Report.AFTER_INSTRUCTION, Int1Report.of(fault(1, base + len)));
        assertEquals(Int1Report.AT_INSTRUCTION, Int1Report.of(fault(1, base)));
        assertThrows(IllegalStateException.class, () -> Int1Report.of(fault(13, base)), "#GP is neither report");
        assertThrows(IllegalStateException.class, () -> Int1Report.of(fault(1, base + 1)), "inside the prefixes");
        Outcome done = new Outcome(Outcome.Kind.DONE, 0, 0, 0, base + len, 0x202, new long[16], new long[32], 0x1F80,
                new long[0]);
        assertThrows(IllegalStateException.class, () -> Int1Report.of(done));
    }

    @Test
    void atInstructionHostOutcomeMovesPastTheInt1AndItsPrefixes() {
        // mov eax, [rbx] ; es o16 rex int1 ; nop
        DiffCase c = code(0x8B, 0x03, 0x26, 0x66, 0x48, 0xF1, 0x90);
        Outcome host = fault(1, DiffLayout.CODE_BASE + 2);
        Outcome sdm = Int1Report.AT_INSTRUCTION.toSdm(c, host);
        assertEquals(DiffLayout.CODE_BASE + 6, sdm.rip());
        assertEquals(1, sdm.vector());
        assertSame(host.gpr(), sdm.gpr(), "only RIP changes");
    }

    @Test
    void otherOutcomesAreLeftAlone() {
        DiffCase c = code(0x8B, 0x03, 0xF1);
        Outcome gp = fault(13, DiffLayout.CODE_BASE);
        assertSame(gp, Int1Report.AT_INSTRUCTION.toSdm(c, gp), "not a #DB");
        Outcome notInt1 = fault(1, DiffLayout.CODE_BASE);
        assertSame(notInt1, Int1Report.AT_INSTRUCTION.toSdm(c, notInt1), "#DB at an instruction that is not INT1");
        Outcome outside = fault(1, DiffLayout.CODE_BASE + 100);
        assertSame(outside, Int1Report.AT_INSTRUCTION.toSdm(c, outside), "outside the case's code");
        Outcome after = fault(1, DiffLayout.CODE_BASE + 2);
        assertSame(after, Int1Report.AFTER_INSTRUCTION.toSdm(c, after), "an architectural host is not corrected");
    }

    @Test
    void int1LengthCountsPrefixesAndStopsAtOtherBytes() {
        assertEquals(1, Int1Report.int1Length(new byte[] {(byte) 0xF1}, 0));
        assertEquals(4, Int1Report.int1Length(new byte[] {(byte) 0xF2, 0x3E, 0x45, (byte) 0xF1}, 0));
        assertEquals(0, Int1Report.int1Length(new byte[] {(byte) 0x90, (byte) 0xF1}, 0));
        assertEquals(0, Int1Report.int1Length(new byte[] {0x66, 0x66}, 0), "prefixes without F1");
        assertEquals(0, Int1Report.int1Length(new byte[] {(byte) 0xF1}, -1));
        assertTrue(Int1Report.AT_INSTRUCTION.line().contains("at the instruction"));
    }
}
