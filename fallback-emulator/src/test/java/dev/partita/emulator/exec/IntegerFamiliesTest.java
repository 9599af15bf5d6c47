package dev.partita.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.cpu.Vectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * General-purpose integer families on the interpreter, 64-bit mode unless stated; expected values
 * worked out by hand from the SDM's definitions.
 */
class IntegerFamiliesTest {
    static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    static final int CF = LazyFlags.CF, PF = LazyFlags.PF, AF = LazyFlags.AF, ZF = LazyFlags.ZF,
            SF = LazyFlags.SF, OF = LazyFlags.OF;

    @BeforeAll
    static void needAssembler() {
        TestMachine.assumeAssembler();
    }

    private static TestMachine run(String asm) {
        return TestMachine.of(64).code(asm).run();
    }

    @Test
    void addSetsAllSixFlags() {
        TestMachine m = run("mov eax, 0x7fffffff; add eax, 1");
        assertEquals(0x8000_0000L, m.reg(RAX));
        // 0x7fffffff + 1: signed overflow, sign set, carry out of bit 3, low byte 0x00 has even parity
        assertEquals(OF | SF | AF | PF, m.flags());
        m = run("mov al, 0xff; add al, 1");
        assertEquals(CF | ZF | AF | PF, m.flags());
        assertEquals(0, m.reg(RAX) & 0xFF);
    }

    @Test
    void subAndCompareConditions() {
        TestMachine m = run("mov eax, 3; cmp eax, 5; setb bl; setl cl; setg dl; sete ah");
        assertEquals(1, m.reg(RBX) & 0xFF);
        assertEquals(1, m.reg(RCX) & 0xFF);
        assertEquals(0, m.reg(RDX) & 0xFF);
        assertEquals(0, (m.reg(RAX) >> 8) & 0xFF);
        assertEquals(CF | SF | AF, m.flags()); // 3-5 = 0xfffffffe: borrow, negative, borrow from bit 4; parity of 0xfe odd
        m = run("mov rax, -1; cmp rax, 1; seta bl; setg cl");
        assertEquals(1, m.reg(RBX) & 0xFF, "unsigned 0xfff..f > 1");
        assertEquals(0, m.reg(RCX) & 0xFF, "signed -1 < 1");
    }

    @Test
    void adcSbbChainOver128Bits() {
        TestMachine m = run("mov rax, -1; mov rdx, 0; add rax, 1; adc rdx, 0; mov rbx, 0; mov rcx, 1; sub rbx, 1; sbb rcx, 0");
        assertEquals(0, m.reg(RAX));
        assertEquals(1, m.reg(RDX));
        assertEquals(-1L, m.reg(RBX));
        assertEquals(0, m.reg(RCX));
        assertEquals(ZF | PF, m.flags() & (ZF | PF | CF));
    }

    @Test
    void partialRegisterWrites() {
        TestMachine m = run("mov rax, -1; mov eax, 1; mov rbx, -1; mov bx, 2; mov rcx, -1; mov cl, 3; mov ch, 4;"
                + "mov rdx, 0; mov dh, 0x12; add dh, 0xf0; mov r8, -1; mov r8b, 5");
        assertEquals(1, m.reg(RAX), "32-bit writes zero-extend");
        assertEquals(0xFFFF_FFFF_FFFF_0002L, m.reg(RBX));
        assertEquals(0xFFFF_FFFF_FFFF_0403L, m.reg(RCX));
        assertEquals(0x0200, m.reg(RDX));
        assertEquals(CF, m.flags() & CF);
        assertEquals(0xFFFF_FFFF_FFFF_FF05L, m.reg(8));
    }

    @Test
    void incDecKeepCarry() {
        TestMachine m = run("stc; mov eax, 0xffffffff; inc eax");
        assertEquals(0, m.reg(RAX));
        assertEquals(CF | ZF | AF | PF, m.flags());
        m = run("clc; mov al, 0x80; dec al");
        assertEquals(0x7F, m.reg(RAX) & 0xFF);
        assertEquals(OF | AF, m.flags());
    }

    @Test
    void logicClearsCarryAndOverflow() {
        TestMachine m = run("stc; mov eax, 0xf0; and eax, 0x0f");
        assertEquals(ZF | PF, m.flags());
        m = run("mov rax, 0x8000000000000000; or rax, 1; not rbx; xor ecx, ecx; test rax, rax");
        assertEquals(SF, m.flags());
        assertEquals(-1L, m.reg(RBX));
    }

    @Test
    void negSetsCarryUnlessZero() {
        TestMachine m = run("mov eax, 5; neg eax");
        assertEquals(0xFFFF_FFFBL, m.reg(RAX));
        assertEquals(CF | SF | AF, m.flags());
        m = run("xor eax, eax; neg eax");
        assertEquals(ZF | PF, m.flags());
    }

    @Test
    void shifts() {
        TestMachine m = run("mov eax, 0x81; shl al, 1");
        assertEquals(0x02, m.reg(RAX) & 0xFF);
        assertEquals(CF | OF, m.flags() & (CF | OF | ZF));
        m = run("mov eax, 0x80000001; shr eax, 1");
        assertEquals(0x4000_0000L, m.reg(RAX));
        assertEquals(CF | OF, m.flags() & (CF | OF)); // OF = old MSB for SHR by 1
        m = run("mov eax, 0x80000000; sar eax, 4");
        assertEquals(0xF800_0000L, m.reg(RAX));
        m = run("mov cl, 68; mov rax, 1; shl rax, cl"); // count masked to 4 for 64-bit
        assertEquals(16, m.reg(RAX));
        m = run("mov eax, 0x12345678; mov cl, 0; stc; shl eax, cl");
        assertEquals(CF, m.flags() & CF, "zero count leaves flags alone");
    }

    @Test
    void rotates() {
        TestMachine m = run("mov eax, 0x80000001; rol eax, 1");
        assertEquals(3, m.reg(RAX));
        assertEquals(CF | OF, m.flags() & (CF | OF)); // CF = new bit 0 = 1; OF = MSB(0) xor CF = 1
        m = run("mov al, 1; ror al, 1");
        assertEquals(0x80, m.reg(RAX) & 0xFF);
        assertEquals(CF | OF, m.flags() & (CF | OF));
        m = run("stc; mov al, 0x80; rcl al, 1"); // 1_1000_0000 -> CF=1, al = 0000_0001
        assertEquals(1, m.reg(RAX) & 0xFF);
        assertEquals(CF, m.flags() & CF);
        m = run("clc; mov ax, 1; rcr ax, 2"); // 17-bit CF:ax rotated right twice: the 1 goes to CF, then to bit 15
        assertEquals(0x8000, m.reg(RAX) & 0xFFFF);
        assertEquals(0, m.flags() & CF);
    }

    @Test
    void doubleShifts() {
        TestMachine m = run("mov eax, 0x12345678; mov edx, 0x9abcdef0; shld eax, edx, 8");
        assertEquals(0x3456_789AL, m.reg(RAX));
        m = run("mov eax, 0x12345678; mov edx, 0x9abcdef0; mov cl, 8; shrd eax, edx, cl");
        assertEquals(0xF012_3456L, m.reg(RAX));
        assertEquals(0, m.flags() & CF, "last bit out is bit 7 of 0x78 = 0");
        m = run("mov rax, 1; mov rdx, 0x8000000000000000; shld rax, rdx, 1");
        assertEquals(3, m.reg(RAX));
    }

    @Test
    void multiplyAndDivide() {
        TestMachine m = run("mov eax, 0x80000000; mov ecx, 4; mul ecx");
        assertEquals(0, m.reg(RAX));
        assertEquals(2, m.reg(RDX));
        assertEquals(CF | OF, m.flags() & (CF | OF));
        m = run("mov rax, -3; mov rcx, 7; imul rcx");
        assertEquals(-21L, m.reg(RAX));
        assertEquals(-1L, m.reg(RDX));
        assertEquals(0, m.flags() & (CF | OF));
        m = run("mov ax, 300; mov cl, 7; div cl");
        assertEquals(42, m.reg(RAX) & 0xFF);
        assertEquals(6, (m.reg(RAX) >> 8) & 0xFF);
        m = run("mov rdx, 1; mov rax, 0; mov rcx, 3; div rcx"); // 2^64 / 3
        assertEquals(0x5555_5555_5555_5555L, m.reg(RAX));
        assertEquals(1, m.reg(RDX));
        m = run("mov eax, -7; cdq; mov ecx, 2; idiv ecx");
        assertEquals(0xFFFF_FFFDL, m.reg(RAX), "truncates toward zero");
        assertEquals(0xFFFF_FFFFL, m.reg(RDX));
        m = run("mov ecx, 3; imul eax, ecx, -5; imul ecx, ecx");
        assertEquals(9, m.reg(RCX));
        m = run("mov eax, 0x40000000; imul eax, eax, 4");
        assertEquals(CF | OF, m.flags() & (CF | OF));
    }

    @Test
    void divideErrors() {
        TestMachine m = TestMachine.of(64).code("xor ecx, ecx; div ecx");
        m.interp.step();
        CpuException e = assertThrows(CpuException.class, m.interp::step);
        assertEquals(Vectors.DE, e.vector());
        assertEquals(TestMachine.CODE + 2, m.cpu.rip, "RIP stays at the faulting instruction");
        TestMachine o = TestMachine.of(64).code("mov edx, 5; mov eax, 0; mov ecx, 2; div ecx");
        o.interp.step();
        o.interp.step();
        o.interp.step();
        assertEquals(Vectors.DE, assertThrows(CpuException.class, o.interp::step).vector(), "quotient overflow");
        assertEquals(5, o.reg(RDX), "registers untouched");
    }

    @Test
    void bitOperations() {
        TestMachine m = run("mov eax, 0x10; bt eax, 4; setc bl; bts eax, 0; btr eax, 4; btc eax, 31");
        assertEquals(1, m.reg(RBX) & 0xFF);
        assertEquals(0x8000_0001L, m.reg(RAX));
        m = TestMachine.of(64);
        m.put64(TestMachine.DATA + 8, 0);
        m.code("mov rbx, " + TestMachine.DATA + "; mov rcx, 67; bts qword ptr [rbx], rcx; mov rcx, -1; bt dword ptr [rbx+8], ecx")
                .run();
        assertEquals(8, m.u64(TestMachine.DATA + 8), "bit 67 is bit 3 of the next qword");
        m = run("mov eax, 0x00f0; bsf ecx, eax; bsr edx, eax; mov ebx, 7; xor eax, eax; bsf ebx, eax");
        assertEquals(4, m.reg(RCX));
        assertEquals(7, m.reg(RDX));
        assertEquals(7, m.reg(RBX), "BSF of zero leaves the destination");
        assertEquals(ZF, m.flags() & ZF);
        m = run("mov eax, 0x00f0; tzcnt ecx, eax; lzcnt edx, eax; popcnt ebx, eax; xor eax, eax; tzcnt esi, eax");
        assertEquals(4, m.reg(RCX));
        assertEquals(24, m.reg(RDX));
        assertEquals(4, m.reg(RBX));
        assertEquals(32, m.reg(RSI));
        assertEquals(CF, m.flags() & (CF | ZF));
    }

    @Test
    void moveExtendAndConvert() {
        TestMachine m = run("mov ecx, 0x80; movzx eax, cl; movsx ebx, cl; movsx rdx, cx; mov esi, -2; movsxd rdi, esi");
        assertEquals(0x80, m.reg(RAX));
        assertEquals(0xFFFF_FF80L, m.reg(RBX));
        assertEquals(0x80, m.reg(RDX));
        assertEquals(-2L, m.reg(RDI));
        m = run("mov eax, 0x8000; cwde; mov ebx, eax; mov eax, -1; cdqe; cqo");
        assertEquals(0xFFFF_8000L, m.reg(RBX));
        assertEquals(-1L, m.reg(RAX));
        assertEquals(-1L, m.reg(RDX));
        m = run("mov eax, 0x11223344; bswap eax; mov rbx, 0x1122334455667788; bswap rbx");
        assertEquals(0x4433_2211L, m.reg(RAX));
        assertEquals(0x8877_6655_4433_2211L, m.reg(RBX));
        m = run("lea rax, [rbx+rcx*8+0x10]; lea ecx, [rip+0x100]");
        assertEquals(0x10, m.reg(RAX));
    }

    @Test
    void conditionalMoves() {
        TestMachine m = run("mov rax, -1; mov ecx, 5; cmp ecx, 5; cmovne eax, ecx; mov rbx, 7; cmove rbx, rcx");
        assertEquals(0xFFFF_FFFFL, m.reg(RAX), "32-bit CMOV zero-extends even when not moving");
        assertEquals(5, m.reg(RBX));
    }

    @Test
    void exchangeFamily() {
        TestMachine m = TestMachine.of(64);
        m.put64(TestMachine.DATA, 10);
        m.code("mov rbx, " + TestMachine.DATA + "; mov eax, 10; mov ecx, 20; lock cmpxchg dword ptr [rbx], ecx;"
                + "mov edx, 99; cmpxchg dword ptr [rbx], edx; mov esi, 5; lock xadd dword ptr [rbx], esi;"
                + "mov edi, 1; xchg dword ptr [rbx], edi").run();
        // first CMPXCHG succeeds (10 -> 20); second fails and loads 20 into EAX; XADD adds 5 (esi = 20);
        // XCHG swaps in 1 (edi = 25).
        assertEquals(20, m.reg(RAX));
        assertEquals(20, m.reg(RSI));
        assertEquals(25, m.reg(RDI));
        assertEquals(1, m.u64(TestMachine.DATA));
        m = TestMachine.of(64);
        m.put64(TestMachine.DATA, 1);
        m.put64(TestMachine.DATA + 8, 2);
        m.code("mov rsi, " + TestMachine.DATA + "; mov eax, 1; mov edx, 2; mov ebx, 3; mov ecx, 4; lock cmpxchg16b [rsi];"
                + "setz r8b").run();
        assertEquals(3, m.u64(TestMachine.DATA));
        assertEquals(4, m.u64(TestMachine.DATA + 8));
        assertEquals(1, m.reg(8) & 0xFF);
    }

    @Test
    void lockedArithmeticOnRam() {
        TestMachine m = TestMachine.of(64);
        m.put64(TestMachine.DATA, 0xFF);
        m.code("mov rbx, " + TestMachine.DATA + "; lock add byte ptr [rbx], 1; lock inc dword ptr [rbx+4];"
                + "lock bts word ptr [rbx+2], 3; lock neg qword ptr [rbx+8]").run();
        assertEquals(0x0000_0001_0008_0000L, m.u64(TestMachine.DATA));
        assertEquals(0, m.u64(TestMachine.DATA + 8));
    }

    @Test
    void stackAndCalls() {
        TestMachine m = run("push 5; push rsp; pop rbx; pop rax; call 1f; jmp 2f; 1: mov ecx, 7; ret; 2: nop");
        assertEquals(5, m.reg(RAX));
        assertEquals(TestMachine.STACK - 8, m.reg(RBX), "PUSH RSP pushes the value before the push");
        assertEquals(7, m.reg(RCX));
        assertEquals(TestMachine.STACK, m.reg(RSP));
        m = run("mov rbp, 0x1234; enter 0x20, 0; mov rax, rbp; mov rbx, rsp; leave");
        assertEquals(TestMachine.STACK - 8, m.reg(RAX));
        assertEquals(TestMachine.STACK - 8 - 0x20, m.reg(RBX));
        assertEquals(0x1234, m.reg(RBP));
        assertEquals(TestMachine.STACK, m.reg(RSP));
        m = run("stc; pushfq; pop rax; push 0x8d5; popfq");
        assertEquals(0x3, m.reg(RAX) & 0xFF, "CF and the fixed bit 1");
        assertEquals(OF | SF | ZF | AF | PF | CF, m.flags());
    }

    @Test
    void loopsAndJumps() {
        TestMachine m = run("mov ecx, 5; xor eax, eax; 1: add eax, ecx; loop 1b");
        assertEquals(15, m.reg(RAX));
        m = run("xor ecx, ecx; mov eax, 1; jrcxz 1f; mov eax, 2; 1: nop");
        assertEquals(1, m.reg(RAX));
        m = run("mov eax, 1; lea rbx, [rip+1f]; jmp rbx; mov eax, 2; 1: nop");
        assertEquals(1, m.reg(RAX));
    }

    @Test
    void stringInstructions() {
        TestMachine m = TestMachine.of(64);
        for (int i = 0; i < 16; i++) {
            m.put8(TestMachine.DATA + i, i + 1);
        }
        long d = TestMachine.DATA;
        m.code("mov rsi, " + d + "; mov rdi, " + (d + 0x100) + "; mov ecx, 16; cld; rep movsb;"
                + "mov rdi, " + (d + 0x200) + "; mov eax, 0xabcdabcd; mov ecx, 3; rep stosd;"
                + "mov rdi, " + d + "; mov al, 7; mov ecx, 16; repne scasb;"
                + "mov rsi, " + d + "; mov rdi, " + (d + 0x100) + "; mov ecx, 16; repe cmpsb").run();
        for (int i = 0; i < 16; i++) {
            assertEquals(i + 1, m.u8(d + 0x100 + i));
        }
        assertEquals(0xABCD_ABCDL, m.u32(d + 0x208) & 0xFFFF_FFFFL);
        assertEquals(0, m.u32(d + 0x20C));
        assertEquals(0, m.reg(RCX), "all 16 bytes compared equal");
        assertEquals(ZF, m.flags() & ZF);
        m = TestMachine.of(64);
        m.put8(d + 3, 0x55);
        m.code("mov rsi, " + (d + 3) + "; std; lodsb; cld").run();
        assertEquals(0x55, m.reg(RAX) & 0xFF);
        assertEquals(d + 2, m.reg(RSI));
    }

    @Test
    void bulkRepeatedStringsAcrossPages() {
        TestMachine m = TestMachine.of(64);
        long d = 0x20000;
        for (int i = 0; i < 0x3000; i++) {
            m.put8(d + i, i * 7);
        }
        // fill 3 pages + 8 bytes starting mid-page, copy 0x2345 bytes across pages, then an overlapping copy
        m.code("mov rdi, " + (d + 0x4008) + "; mov rax, 0x1122334455667788; mov ecx, 0x601; rep stosq;"
                + "mov rsi, " + (d + 3) + "; mov rdi, " + (d + 0x8001) + "; mov ecx, 0x2345; rep movsb;"
                + "mov rsi, " + d + "; mov rdi, " + (d + 1) + "; mov ecx, 100; rep movsb").run();
        for (int i = 0; i < 0x601; i++) {
            assertEquals(0x1122_3344_5566_7788L, m.u64(d + 0x4008 + 8L * i));
        }
        assertEquals(0, m.u64(d + 0x4008 + 8L * 0x601));
        for (int i = 0; i < 0x2345; i++) {
            assertEquals(((i + 3) * 7) & 0xFF, m.u8(d + 0x8001 + i), "copied byte " + i);
        }
        for (int i = 0; i <= 100; i++) {
            assertEquals(0, m.u8(d + i), "overlapping forward copy replicates byte 0");
        }
        assertEquals(0, m.reg(RCX));
        assertEquals(d + 100, m.reg(RSI));
    }

    @Test
    void realModeAddressingAndBcd() {
        TestMachine m = TestMachine.of(16);
        m.put8(0x8010 + 0x22, 0x5A);
        m.code("mov bx, 0x8010; mov si, 0x22; mov al, [bx+si]; mov cx, 0x1234; push cx; pop dx;"
                + "mov ah, 0; mov al, 0x15; add al, 0x27; daa; mov bl, al;"
                + "mov al, 0x15; sub al, 0x27; das; mov bh, al;"
                + "mov ax, 0x0009; add al, 5; aaa; mov si, ax; mov al, 63; aam; mov di, ax; aad").run();
        assertEquals(0x1234, m.reg(RDX) & 0xFFFF);
        assertEquals(0x42, m.reg(RBX) & 0xFF, "15 + 27 = 42 in BCD");
        assertEquals(0x88, (m.reg(RBX) >> 8) & 0xFF, "15 - 27 = -12 -> 88 with borrow");
        assertEquals(0x0104, m.reg(RSI) & 0xFFFF, "9 + 5 = 14 unpacked");
        assertEquals(0x0603, m.reg(RDI) & 0xFFFF, "63 = 6,3");
        assertEquals(63, m.reg(RAX) & 0xFFFF);
    }

    @Test
    void thirtyTwoBitMode() {
        TestMachine m = TestMachine.of(32).code("mov eax, 0xffffffff; inc eax; push 0x12345678; pop ebx; pushad; popad;"
                + "mov ecx, 3; 1: dec ecx; jnz 1b").run();
        assertEquals(0, m.reg(RAX));
        assertEquals(0x1234_5678L, m.reg(RBX));
        assertEquals(0, m.reg(RCX));
        assertEquals(TestMachine.STACK, m.reg(RSP));
    }

    @Test
    void undefinedOpcodeRaisesUd() {
        TestMachine m = TestMachine.of(64).code("ud2");
        CpuException e = assertThrows(CpuException.class, m.interp::step);
        assertEquals(Vectors.UD, e.vector());
        assertEquals(TestMachine.CODE, m.cpu.rip);
    }

    @Test
    void runSlicesFollowBranchesAndSelfModification() {
        TestMachine m = TestMachine.of(64).runSlices("lea rbx, [rip+2f]; xor edx, edx; mov ecx, 3000; 1: 2: mov eax, 1;"
                + "add edx, eax; mov byte ptr [rbx+1], 5; test ecx, 1; jz 3f; inc edx; 3: loop 1b");
        // first pass adds 1, later passes the patched 5; 1500 odd counts add 1 more
        assertEquals(1 + 2999 * 5 + 1500, m.reg(RDX));
        TestMachine t = TestMachine.of(32).runSlices("mov ecx, 1000; xor eax, eax; 1: add eax, ecx; loop 1b");
        assertEquals(500500, t.reg(RAX));
    }

    @Test
    void selfModifyingCodeIsSeen() {
        // The loop body's immediate is rewritten between iterations: the decoded copy must be dropped.
        TestMachine m = run("lea rbx, [rip+2f]; xor edx, edx; mov ecx, 2; 1: 2: mov eax, 1; add edx, eax;"
                + "mov byte ptr [rbx+1], 5; loop 1b");
        assertEquals(6, m.reg(RDX), "first pass adds 1, second pass adds the patched 5");
    }
}
