package dev.partita.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.partita.emulator.cpu.LazyFlags;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The x87 subset on the interpreter (64-bit mode); expected values computed by hand. */
class X87FamilyTest {
    static final long D = TestMachine.DATA;

    @BeforeAll
    static void needAssembler() {
        TestMachine.assumeAssembler();
    }

    private static TestMachine run(TestMachine m, String asm) {
        return m.code("mov rbx, " + D + ";" + asm).run();
    }

    @Test
    void arithmeticAndStores() {
        TestMachine m = TestMachine.of(64);
        m.putF64(D, 2.5);
        m.putF64(D + 8, 4.0);
        run(m, "fninit; fld qword ptr [rbx]; fmul qword ptr [rbx+8]; fld1; faddp st(1), st(0); fstp qword ptr [rbx+16];"
                + "fld qword ptr [rbx+8]; fsqrt; fld qword ptr [rbx]; fdivr st(0), st(1); fstp qword ptr [rbx+24];"
                + "fstp qword ptr [rbx+32]; fld qword ptr [rbx]; fsub dword ptr [rbx+64]; fstp qword ptr [rbx+40]");
        assertEquals(11.0, m.f64(D + 16), "2.5 * 4 + 1");
        assertEquals(0.8, m.f64(D + 24), 1e-15, "fdivr: st0 = st1 / st0 = 2 / 2.5");
        assertEquals(2.0, m.f64(D + 32));
        assertEquals(2.5, m.f64(D + 40), "minus 0.0f");
        assertEquals(0, (m.cpu.fsw >>> 11) & 7, "stack balanced");
        assertEquals(0, m.cpu.ftwAbridged);
    }

    @Test
    void integerLoadsStoresAndRounding() {
        TestMachine m = TestMachine.of(64);
        m.put32(D, -7);
        m.putF64(D + 8, 2.5);
        m.put64(D + 48, 0x7FFF_FFFF_FFFF_FFFFL);
        run(m, "fninit; fild dword ptr [rbx]; fistp word ptr [rbx+16];"
                + "fld qword ptr [rbx+8]; fist dword ptr [rbx+20]; fisttp dword ptr [rbx+24];"
                + "fnstcw word ptr [rbx+28]; mov word ptr [rbx+30], 0x77f; fldcw word ptr [rbx+30];"
                + "fld qword ptr [rbx+8]; fistp dword ptr [rbx+32]; fldcw word ptr [rbx+28];"
                + "fild qword ptr [rbx+48]; fistp qword ptr [rbx+56]; fld qword ptr [rbx+8]; frndint; fstp qword ptr [rbx+40]");
        assertEquals(0xFFF9, m.u16(D + 16));
        assertEquals(2, m.u32(D + 20), "round to nearest even");
        assertEquals(2, m.u32(D + 24), "fisttp truncates");
        assertEquals(0x37F, m.u16(D + 28));
        assertEquals(2, m.u32(D + 32), "RC=01 rounds down");
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, m.u64(D + 56), "64-bit integers round-trip exactly");
        assertEquals(2.0, m.f64(D + 40));
    }

    @Test
    void extendedPrecisionBitPatternsRoundTrip() {
        TestMachine m = TestMachine.of(64);
        // 1 + 2^-63: needs the full 64-bit significand.
        m.put64(D, 0x8000_0000_0000_0001L);
        m.ram.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, D + 8, (short) 0x3FFF);
        run(m, "fninit; fld tbyte ptr [rbx]; fld st(0); fstp tbyte ptr [rbx+16]; fstp qword ptr [rbx+32]");
        assertEquals(0x8000_0000_0000_0001L, m.u64(D + 16));
        assertEquals(0x3FFF, m.u16(D + 24));
        assertEquals(1.0, m.f64(D + 32), "rounded to double on a double store");
    }

    @Test
    void comparesAndStatus() {
        TestMachine m = TestMachine.of(64);
        m.putF64(D, 1.0);
        m.putF64(D + 8, 2.0);
        run(m, "fninit; fld qword ptr [rbx+8]; fld qword ptr [rbx]; fcomi st(0), st(1); setb cl; seta dl;"
                + "fcom st(1); fnstsw ax; fucomip st(0), st(1); fstp st(0)");
        assertEquals(1, m.reg(1) & 0xFF, "1 < 2 sets CF");
        assertEquals(0, m.reg(2) & 0xFF);
        assertEquals(0x0100, m.reg(0) & 0x4500, "C0 set for less");
        assertEquals(0, (m.cpu.fsw >>> 11) & 7);
        assertEquals(LazyFlags.CF, m.flags() & (LazyFlags.CF | LazyFlags.ZF));
    }

    @Test
    void constantsAndUnaryOps() {
        TestMachine m = TestMachine.of(64);
        run(m, "fninit; fldpi; fchs; fabs; fstp qword ptr [rbx]; fldz; fld1; fxch st(1); fstp qword ptr [rbx+8];"
                + "fstp qword ptr [rbx+16]; fldl2e; fstp qword ptr [rbx+24]");
        assertEquals(Math.PI, m.f64(D));
        assertEquals(0.0, m.f64(D + 8));
        assertEquals(1.0, m.f64(D + 16));
        assertEquals(1.4426950408889634, m.f64(D + 24));
    }
}
