package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.partita.emulator.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** SIMD floating-point exceptions as the SDM has them, run through the emulator at CPL 3. */
class SimdExceptionTest {
    private static final int UE = 1 << 4;
    private static final int DE = 1 << 1;
    private static final int IE = 1;
    private static final int UM = 1 << 11;
    private static final int IM = 1 << 7;
    private static final int ALL_MASKED = 0x1F80;
    private static final int XM = 19;

    private static CpuHarness.Result run(CpuHarness h, int mxcsr, int... code) {
        byte[] b = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = (byte) code[i];
        }
        h.load(0x1000, b);
        CpuState cpu = h.cpu();
        cpu.mxcsr = mxcsr;
        cpu.rip = 0x1000;
        return h.run(1);
    }

    /** subpd xmm2, xmm0 with denormal operands whose difference is an exact denormal (3 - 1 ulps). */
    private static void exactTinyDifference(CpuState cpu) {
        cpu.xmm[4] = 3;
        cpu.xmm[5] = 0;
        cpu.xmm[0] = 1;
        cpu.xmm[1] = 0;
    }

    @Test
    void exactTinyResultSignalsUnderflowOnlyWhenUnmasked() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            exactTinyDifference(h.cpu());
            CpuHarness.Result masked = run(h, ALL_MASKED, 0x66, 0x0F, 0x5C, 0xD0);
            assertFalse(masked.faulted());
            assertEquals(2, h.cpu().xmm[4], "3 - 1 ulps, exact");
            assertEquals(DE, h.cpu().mxcsr & 0x3F, "masked: a tiny exact result is no underflow");

            exactTinyDifference(h.cpu());
            CpuHarness.Result unmasked = run(h, ALL_MASKED & ~UM, 0x66, 0x0F, 0x5C, 0xD0);
            assertEquals(XM, unmasked.vector(), "unmasked: every tiny result underflows");
            assertEquals(3, h.cpu().xmm[4], "the destination keeps its value");
            assertEquals(DE | UE, h.cpu().mxcsr & 0x3F);
            assertEquals(0x1000, h.cpu().rip, "#XM is a fault");
        }
    }

    @Test
    void unmaskedOverflowReportsPrecisionOfTheUnboundedResult() {
        int om = 1 << 10;
        int oe = 1 << 3;
        int pe = 1 << 5;
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            CpuState cpu = h.cpu();
            cpu.xmm[0] = Double.doubleToRawLongBits(Math.scalb(1.0, 1000));
            cpu.xmm[2] = Double.doubleToRawLongBits(Math.scalb(1.0, -100));
            CpuHarness.Result exact = run(h, ALL_MASKED & ~om, 0xF2, 0x0F, 0x5E, 0xC1); // divsd xmm0, xmm1
            assertEquals(XM, exact.vector());
            assertEquals(oe, cpu.mxcsr & 0x3F, "2^1100 is exact with an unbounded exponent: OE without PE");

            double odd = Math.scalb(1.0 + Math.ulp(1.0), 600);
            cpu.xmm[0] = Double.doubleToRawLongBits(odd);
            cpu.xmm[2] = Double.doubleToRawLongBits(odd);
            CpuHarness.Result inexact = run(h, ALL_MASKED & ~om, 0xF2, 0x0F, 0x59, 0xC1); // mulsd xmm0, xmm1
            assertEquals(XM, inexact.vector());
            assertEquals(oe | pe, cpu.mxcsr & 0x3F, "(1 + 2^-52)^2 needs 105 bits: OE and PE");
            assertEquals(Double.doubleToRawLongBits(odd), cpu.xmm[0], "the destination keeps its value");
        }
    }

    @Test
    void comisdWithAnUnmaskedInvalidOperandLeavesRflagsAlone() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            CpuState cpu = h.cpu();
            cpu.xmm[0] = 0x7FF0_0000_0000_0001L; // SNaN
            cpu.xmm[2] = Double.doubleToRawLongBits(1.0);
            cpu.setRflags(0x202 | 0x800 | 0x80 | 0x10); // OF SF AF: COMISD would clear them
            CpuHarness.Result r = run(h, ALL_MASKED & ~IM, 0x66, 0x0F, 0x2F, 0xC8); // comisd xmm1, xmm0
            assertEquals(XM, r.vector());
            assertEquals(0x202 | 0x800 | 0x80 | 0x10, cpu.rflags() & 0xFFF, "#XM: RFLAGS unchanged");
            assertEquals(IE, cpu.mxcsr & 0x3F);
        }
    }
}
