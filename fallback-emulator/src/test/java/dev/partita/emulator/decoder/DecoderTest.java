package dev.partita.emulator.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoder and disassembler against hand-checked encodings (lengths and Intel syntax from the SDM). */
class DecoderTest {

    private static DecodedInsn decode(int mode, String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        DecodedInsn d = new DecodedInsn();
        int n = new Decoder().decode(b, 0, b.length, mode, d);
        assertEquals(b.length, n, () -> "length of " + hex + " (" + Disassembler.format(d, 0) + ")");
        return d;
    }

    @ParameterizedTest(name = "{0}-bit {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "64|4801d8|add rax, rbx",
        "64|00c4|add ah, al",
        "64|4000c4|add spl, al",
        "64|8b05f0ffffff|mov eax, dword ptr [rip-0x10]",
        "64|488d4c8a08|lea rcx, [rdx+rcx*4+0x8]",
        "64|f0830001|lock add dword ptr [rax], 0x1",
        "64|66b83412|mov ax, 0x1234",
        "64|48b88877665544332211|mov rax, 0x1122334455667788",
        "64|0f01f8|swapgs",
        "16|8b4602|mov ax, word ptr [bp+0x2]",
        "16|8b00|mov ax, word ptr [bx+si]",
        "16|a11234|mov ax, word ptr ds:[0x3412]",
        "32|a178563412|mov eax, dword ptr ds:[0x12345678]",
        "64|660fefc0|pxor xmm0, xmm0",
        "64|f30f6f0e|movdqu xmm1, xmmword ptr [rsi]",
        "64|d9e8|fld1",
        "64|dec1|faddp st(1), st(0)",
        "64|dd1c24|fstp qword ptr [rsp]",
        "64|f3a4|rep movsb",
        "64|f348ab|rep stosq",
        "64|f2ae|repne scasb",
        "64|f30fb8c1|popcnt eax, ecx",
        "64|660fbcc1|bsf ax, cx",
        "64|488b04c500000000|mov rax, qword ptr [rax*8]",
        "64|4c8b24e4|mov r12, qword ptr [rsp]",
        "64|410fb6c0|movzx eax, r8b",
        "64|0fb6c4|movzx eax, ah",
        "64|400fb6c4|movzx eax, spl",
        "64|c8100001|enter 0x10, 0x1",
        "32|ea785634121200|jmpf 0x12:0x12345678",
        "64|0f20c0|mov rax, cr0",
        "64|440f22c0|mov cr8, rax",
        "64|66480f6ec0|movq xmm0, rax",
        "64|660f73d804|psrldq xmm0, 0x4",
        "64|f20f2cc0|cvttsd2si eax, xmm0",
        "64|480fc70e|cmpxchg16b qword ptr [rsi]",
        "64|f390|pause",
        "64|4190|xchg r8d, eax",
        "64|67e3fe|jecxz 0x1001",
        "64|e8fbffffff|call 0x1000",
        "32|66e8fcff|call 0x1000",
        "64|c1e004|shl eax, 0x4",
        "64|d3f8|sar eax, cl",
        "64|d1e0|shl eax, 1",
        "64|0fa4c203|shld edx, eax, 0x3",
        "64|4863c1|movsxd rax, ecx",
        "32|63c1|arpl cx, ax",
        "64|6a80|push 0xffffffffffffff80",
        "64|0fc8|bswap eax",
        "32|268b00|mov eax, dword ptr es:[eax]",
        "64|26488b00|mov rax, qword ptr [rax]",      // ES override ignored in 64-bit mode
        "64|64488b042528000000|mov rax, qword ptr fs:[0x28]",
        "64|660f3a0fc104|palignr xmm0, xmm1, 0x4",
        "64|660f3800c1|pshufb xmm0, xmm1",
        "64|0f0b|ud2",
        "64|0fae1c24|stmxcsr dword ptr [rsp]",
        "64|0faef0|mfence",
        "64|f30f1efa|nop edx",
    })
    void disassembles(int mode, String hex, String text) {
        DecodedInsn d = decode(mode, hex);
        assertEquals(text, Disassembler.format(d, 0x1000));
    }

    @ParameterizedTest(name = "{0}-bit {1} is #UD")
    @CsvSource(delimiter = '|', value = {
        "64|06",           // push es: invalid in 64-bit mode
        "64|37",           // aaa
        "64|c5f877",       // VEX prefix (no AVX): LDS is invalid in 64-bit mode
        "64|62c0",         // BOUND/EVEX
        "32|0f01f8",       // swapgs outside 64-bit mode
        "64|f00301",       // LOCK on add r, m (register destination)
        "64|f0b801000000", // LOCK mov
        "64|f001c0",       // LOCK add with a register operand
        "64|f00fc7c8",     // cmpxchg8b with a register operand
        "64|8ef0",         // mov to segment register 6
        "64|8dc0",         // lea with a register operand
        "64|0f0f",         // 3DNow!
        "64|fff8",         // FF /7
        "64|0fb9c0",       // UD1
        "64|f20f6fc0",     // F2 0F 6F: no such instruction
        "16|0fc7c8",       // cmpxchg8b register form
    })
    void undefinedEncodings(int mode, String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        DecodedInsn d = new DecodedInsn();
        int n = new Decoder().decode(b, 0, b.length, mode, d);
        assertTrue(n > 0, "decoded to a result");
        assertEquals(Ops.UD, d.op, () -> hex + " decoded as " + Disassembler.format(d, 0));
    }

    @Test
    void rexIsIgnoredUnlessLastBeforeOpcode() {
        // 48 66 01 d8: REX.W then a legacy prefix: the REX is dropped, 66 makes it 16-bit.
        assertEquals("add ax, bx", Disassembler.format(decode(64, "486601d8"), 0));
        // 66 48 01 d8: REX.W wins over 66.
        assertEquals("add rax, rbx", Disassembler.format(decode(64, "664801d8"), 0));
        // two REX prefixes: the last one counts
        assertEquals("add eax, ebx", Disassembler.format(decode(64, "484001d8"), 0));
        // 40-47 are INC in 32-bit mode
        assertEquals("inc eax", Disassembler.format(decode(32, "40"), 0));
    }

    @Test
    void fifteenByteLimit() {
        // 14 prefixes + 90 = 15 bytes: fine
        DecodedInsn ok = decode(64, "6666666666666666666666666666" + "90");
        assertEquals(Ops.NOP, ok.op);
        assertEquals(15, ok.length);
        // 15 prefixes + 90 = 16 bytes: #GP
        byte[] b = HexFormat.of().parseHex("666666666666666666666666666666" + "90");
        DecodedInsn d = new DecodedInsn();
        new Decoder().decode(b, 0, b.length, 64, d);
        assertEquals(Ops.GP_TOO_LONG, d.op);
    }

    @Test
    void truncatedInputAsksForMoreBytes() {
        byte[] b = HexFormat.of().parseHex("48b8887766");
        DecodedInsn d = new DecodedInsn();
        assertEquals(Decoder.NEED_MORE_BYTES, new Decoder().decode(b, 0, b.length, 64, d));
    }

    @Test
    void memoryOperandFields() {
        DecodedInsn d = decode(64, "428b44a510"); // mov eax, [rbp+r12*4+0x10]
        assertEquals(5, d.base);
        assertEquals(12, d.index);
        assertEquals(2, d.scale);
        assertEquals(0x10, d.disp);
        assertEquals(2, d.seg, "rbp-based addressing defaults to SS");
        assertEquals(DecodedInsn.RM_MEMORY, d.rm);
        DecodedInsn r = decode(64, "8b05f0ffffff");
        assertEquals(DecodedInsn.BASE_RIP, r.base);
        assertEquals(-16, r.disp);
        DecodedInsn s = decode(16, "8b4602");
        assertEquals(5, s.base);
        assertEquals(-1, s.index);
        assertEquals(2, s.seg);
    }

    @Test
    void operandSizeRulesInLongMode() {
        assertEquals(8, decode(64, "50").size, "push defaults to 64-bit");
        assertEquals(2, decode(64, "6650").size, "66 push is 16-bit");
        assertEquals(8, decode(64, "66e800000000".substring(2)).opSize, "near call is 64-bit");
        assertEquals(4, decode(64, "01d8").size);
        assertEquals(1, decode(64, "00d8").size);
        assertEquals(8, decode(64, "0f20c0").size, "mov from CR is 64-bit");
        assertEquals(4, decode(32, "0f20c0").size);
    }

    @Test
    void neverThrowsOnRandomBytes() {
        SplittableRandom rnd = new SplittableRandom(1234);
        Decoder dec = new Decoder();
        DecodedInsn d = new DecodedInsn();
        byte[] buf = new byte[16];
        int[] modes = {16, 32, 64};
        int ud = 0;
        for (int i = 0; i < 200_000; i++) {
            rnd.nextBytes(buf);
            int avail = 1 + rnd.nextInt(16);
            int mode = modes[i % 3];
            int n = dec.decode(buf, 0, avail, mode, d);
            if (n != Decoder.NEED_MORE_BYTES) {
                assertTrue(n >= 1 && n <= 15, "length " + n);
                if (d.op == Ops.UD) {
                    ud++;
                } else {
                    Disassembler.format(d, 0); // must not throw either
                }
            }
        }
        assertTrue(ud > 0 && ud < 200_000);
    }

    @Test
    void tableCoverage() {
        int total = 0;
        for (OpcodeTable.OpcodeMap m : OpcodeTable.maps()) {
            System.out.printf("opcode map %-8s: %3d opcode bytes defined, %4d instruction rows%n", m.name(),
                    m.definedSlots(), m.instructionCount());
            total += m.instructionCount();
        }
        assertTrue(OpcodeTable.maps().get(0).definedSlots() >= 230, "one-byte map nearly full");
        assertTrue(total > 700);
    }
}
