package dev.partita.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.cpu.Vectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MMX/SSE/SSE2/SSSE3 on the interpreter (64-bit mode); expected values computed by hand. */
class SimdFamiliesTest {
    static final long D = TestMachine.DATA;

    @BeforeAll
    static void needAssembler() {
        TestMachine.assumeAssembler();
    }

    private static TestMachine run(TestMachine m, String asm) {
        return m.code("mov rbx, " + D + ";" + asm).run();
    }

    private static long lo(TestMachine m, int r) {
        return m.cpu.xmm[2 * r];
    }

    private static long hi(TestMachine m, int r) {
        return m.cpu.xmm[2 * r + 1];
    }

    @Test
    void strlenStyleByteSearch() {
        TestMachine m = TestMachine.of(64);
        byte[] s = "hello, world!\0xy".getBytes();
        for (int i = 0; i < 16; i++) {
            m.put8(D + i, s[i]);
        }
        run(m, "pxor xmm0, xmm0; movdqu xmm1, [rbx]; pcmpeqb xmm1, xmm0; pmovmskb eax, xmm1; bsf ecx, eax");
        assertEquals(1 << 13, m.reg(0));
        assertEquals(13, m.reg(1));
    }

    @Test
    void integerArithmetic() {
        TestMachine m = TestMachine.of(64);
        m.put64(D, 0x0000_0001_FFFF_FFFFL);
        m.put64(D + 8, 0x7FFF_0002_8000_0003L);
        m.put64(D + 16, 0x0000_0001_0000_0001L);
        m.put64(D + 24, 0x0001_0002_FFFF_0004L);
        run(m, "movdqa xmm0, [rbx]; movdqa xmm1, [rbx+16]; movdqa xmm2, xmm0; paddd xmm2, xmm1;"
                + "movdqa xmm3, xmm0; psubw xmm3, xmm1; movdqa xmm4, xmm0; paddsw xmm4, xmm1;"
                + "movdqa xmm5, xmm0; pmullw xmm5, xmm1; movdqa xmm6, xmm0; pmuludq xmm6, xmm1");
        assertEquals(0x0000_0002_0000_0000L, lo(m, 2));
        assertEquals(0x8000_0004_7FFF_0007L, hi(m, 2));
        assertEquals(0x0000_0000_FFFF_FFFEL, lo(m, 3));
        assertEquals(0x7FFE_0000_8001_FFFFL, hi(m, 3));
        assertEquals(0x7FFF_0004_8000_0007L, hi(m, 4), "0x7fff+1 saturates; 0x8000+0xffff saturates to 0x8000");
        assertEquals(0x0000_0001_0000_FFFFL, lo(m, 5));
        assertEquals(0x7FFF_0004_8000_000CL, hi(m, 5));
        assertEquals(0xFFFF_FFFFL, lo(m, 6));
        assertEquals(0x8000_0003L * 0xFFFF_0004L, hi(m, 6));
    }

    @Test
    void shufflesUnpacksAndShifts() {
        TestMachine m = TestMachine.of(64);
        m.put64(D, 0x0706_0504_0302_0100L);
        m.put64(D + 8, 0x0F0E_0D0C_0B0A_0908L);
        run(m, "movdqu xmm0, [rbx]; pshufd xmm1, xmm0, 0x1b; pxor xmm7, xmm7; movdqa xmm2, xmm0; punpcklbw xmm2, xmm7;"
                + "movdqa xmm3, xmm2; packuswb xmm3, xmm3; movdqa xmm4, xmm0; psrldq xmm4, 3; movdqa xmm5, xmm0; pslldq xmm5, 15;"
                + "movdqa xmm6, xmm0; psllq xmm6, 8; pshuflw xmm8, xmm0, 0x1b");
        assertEquals(0x0B0A_0908_0F0E_0D0CL, lo(m, 1));
        assertEquals(0x0302_0100_0706_0504L, hi(m, 1));
        assertEquals(0x0003_0002_0001_0000L, lo(m, 2));
        assertEquals(0x0706_0504_0302_0100L, lo(m, 3));
        assertEquals(0x0A09_0807_0605_0403L, lo(m, 4));
        assertEquals(0x0000_000F_0E0D_0C0BL, hi(m, 4));
        assertEquals(0, lo(m, 5));
        assertEquals(0x0000_0000_0000_0000L, hi(m, 5) & 0x00FF_FFFF_FFFF_FFFFL);
        assertEquals(0x00, (hi(m, 5) >>> 56) & 0xFF, "byte 0 moved to byte 15");
        assertEquals(0x0605_0403_0201_0000L, lo(m, 6));
        assertEquals(0x0100_0302_0504_0706L, lo(m, 8));
    }

    @Test
    void ssse3ShuffleAndAlign() {
        TestMachine m = TestMachine.of(64);
        m.put64(D, 0x0706_0504_0302_0100L);
        m.put64(D + 8, 0x0F0E_0D0C_0B0A_0908L);
        m.put64(D + 16, 0x0001_0203_0405_0607L);
        m.put64(D + 24, 0x8080_8080_0809_0A0BL);
        run(m, "movdqu xmm0, [rbx]; movdqu xmm1, [rbx+16]; movdqa xmm2, xmm0; pshufb xmm2, xmm1;"
                + "movdqa xmm3, xmm0; palignr xmm3, xmm0, 4");
        assertEquals(0x0001_0203_0405_0607L, lo(m, 2));
        assertEquals(0x0000_0000_0809_0A0BL, hi(m, 2));
        assertEquals(0x0B0A_0908_0706_0504L, lo(m, 3));
        assertEquals(0x0302_0100_0F0E_0D0CL, hi(m, 3));
    }

    @Test
    void scalarDoubleAndConversions() {
        TestMachine m = TestMachine.of(64);
        m.putF64(D, 2.0);
        m.putF64(D + 8, -3.75);
        run(m, "movsd xmm0, [rbx]; movsd xmm1, [rbx+8]; movapd xmm2, xmm0; mulsd xmm2, xmm1; sqrtsd xmm3, xmm0;"
                + "cvttsd2si eax, xmm1; cvtsd2si rcx, xmm1; mov edx, 7; cvtsi2sd xmm4, edx; divsd xmm4, xmm0;"
                + "ucomisd xmm0, xmm1; seta r8b; minsd xmm1, xmm0; cvtsd2ss xmm5, xmm0; cvtss2sd xmm6, xmm5");
        assertEquals(-7.5, Double.longBitsToDouble(lo(m, 2)));
        assertEquals(Math.sqrt(2.0), Double.longBitsToDouble(lo(m, 3)));
        assertEquals(0xFFFF_FFFDL, m.reg(0), "truncation toward zero");
        assertEquals(-4L, m.reg(1), "round to nearest");
        assertEquals(3.5, Double.longBitsToDouble(lo(m, 4)));
        assertEquals(1, m.reg(8) & 0xFF);
        assertEquals(0, m.flags() & (LazyFlags.ZF | LazyFlags.PF | LazyFlags.CF));
        assertEquals(-3.75, Double.longBitsToDouble(lo(m, 1)));
        assertEquals(2.0f, Float.intBitsToFloat((int) lo(m, 5)));
        assertEquals(2.0, Double.longBitsToDouble(lo(m, 6)));
    }

    @Test
    void packedSingle() {
        TestMachine m = TestMachine.of(64);
        m.put32(D, 1);
        m.put32(D + 4, -2);
        m.put32(D + 8, 3);
        m.put32(D + 12, -4);
        run(m, "movdqu xmm0, [rbx]; cvtdq2ps xmm1, xmm0; movaps xmm2, xmm1; addps xmm2, xmm1; movmskps eax, xmm2;"
                + "shufps xmm2, xmm2, 0x1b; cvtps2dq xmm3, xmm2; xorps xmm4, xmm4; cmpltps xmm4, xmm1");
        assertEquals(0b1010, m.reg(0));
        assertEquals(0x0000_0006_FFFF_FFF8L, lo(m, 3), "reversed: -8, 6");
        assertEquals(0x0000_0002_FFFF_FFFCL, hi(m, 3));
        assertEquals(0x0000_0000_FFFF_FFFFL, lo(m, 4), "0 < 1 true, 0 < -2 false");
    }

    @Test
    void mmxAndState() {
        TestMachine m = TestMachine.of(64);
        m.put64(D, 0x00FF_0001_7FFF_8000L);
        run(m, "movq mm0, [rbx]; movq mm1, mm0; paddw mm1, mm0; movq [rbx+8], mm1; emms;"
                + "mov eax, 0x12345678; movd xmm0, eax; movq rcx, xmm0; stmxcsr [rbx+16]; mov dword ptr [rbx+20], 0x3f80;"
                + "ldmxcsr [rbx+20]; fxsave [rbx+64]; mov dword ptr [rbx+20], 0x1f80; ldmxcsr [rbx+20]; pxor xmm0, xmm0;"
                + "fxrstor [rbx+64]; movd edx, xmm0");
        assertEquals(0x01FE_0002_FFFE_0000L, m.u64(D + 8));
        assertEquals(0x1234_5678L, m.reg(1));
        assertEquals(0x1F80, m.u32(D + 16));
        assertEquals(0x3F80, m.cpu.mxcsr, "restored by fxrstor");
        assertEquals(0x1234_5678L, m.reg(2));
        assertEquals(0x3F80, m.u32(D + 64 + 24));
    }

    @Test
    void sse41And42() {
        TestMachine m = TestMachine.of(64);
        byte[] text = "123456789\0abcdefghijklmnopqrstuvwxyz".getBytes();
        for (int i = 0; i < text.length; i++) {
            m.put8(D + i, text[i]);
        }
        byte[] set = "xyz\0".getBytes();
        for (int i = 0; i < set.length; i++) {
            m.put8(D + 64 + i, set[i]);
        }
        // CRC-32C of "123456789" is 0xE3069283 (with the conventional inversion around the instruction)
        run(m, "mov eax, -1; crc32 rax, qword ptr [rbx]; crc32 eax, byte ptr [rbx+8]; not eax; mov r9d, eax;"
                + "movdqu xmm1, [rbx+26]; movdqu xmm2, [rbx+64]; pcmpistri xmm2, xmm1, 0x00; mov r10d, ecx;"
                + "pmovzxbw xmm3, [rbx]; ptest xmm3, xmm3; setz r11b; pcmpeqq xmm4, xmm4; pminud xmm4, xmm3");
        assertEquals(0xE306_9283L, m.reg(9));
        assertEquals(7, m.reg(10), "first of x, y, z in \"qrstuvwxyz\" is at index 7");
        assertEquals(0x0034_0033_0032_0031L, lo(m, 3));
        assertEquals(0, m.reg(11) & 0xFF);
        assertEquals(lo(m, 3), lo(m, 4));
    }

    @Test
    void misalignedAlignedAccessFaults() {
        TestMachine m = TestMachine.of(64).code("mov rbx, " + (D + 8) + "; movdqa xmm0, [rbx]");
        m.interp.step();
        assertEquals(Vectors.GP, assertThrows(CpuException.class, m.interp::step).vector());
    }
}
