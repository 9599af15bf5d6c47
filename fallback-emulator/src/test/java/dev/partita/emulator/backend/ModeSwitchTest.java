package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.Test;

/**
 * Real mode -> 32-bit protected mode -> long mode, by guest code through the backend's run loop
 * (the interpreter executing, the system unit switching modes), ending with an OUT exit and HLT.
 * The bytes were assembled with GNU as from this source:
 * <pre>
 *         .code16
 *         .org 0
 * start:                                  # loaded at 0x7C00
 *         cli
 *         lgdtl   0x7C00 + (gdtr - start)
 *         movl    %cr0, %eax
 *         orb     $1, %al
 *         movl    %eax, %cr0
 *         ljmpl   $0x08, $(0x7C00 + (pm32 - start))
 *         .code32
 * pm32:
 *         movw    $0x10, %ax
 *         movw    %ax, %ds
 *         movw    %ax, %es
 *         movw    %ax, %ss
 *         movl    $0x7000, %esp
 *         movl    $0x11003, 0x10000
 *         movl    $0x12003, 0x11000
 *         movl    $0x00083, 0x12000
 *         movl    $0x10000, %eax
 *         movl    %eax, %cr3
 *         movl    %cr4, %eax
 *         orl     $0x20, %eax
 *         movl    %eax, %cr4
 *         movl    $0xC0000080, %ecx
 *         rdmsr
 *         orl     $0x100, %eax
 *         wrmsr
 *         movl    %cr0, %eax
 *         orl     $0x80000000, %eax
 *         movl    %eax, %cr0
 *         ljmpl   $0x18, $(0x7C00 + (lm64 - start))
 *         .code64
 * lm64:
 *         movabsq $0x123456789abcdef0, %rax
 *         movq    %rax, 0x8000
 *         pushq   $7
 *         popq    %rbx
 *         movl    $0x2a, %eax
 *         outl    %eax, $0xF4
 *         hlt
 *         .p2align 3
 * gdt:
 *         .quad   0
 *         .quad   0x00CF9B000000FFFF      # 0x08 code32
 *         .quad   0x00CF93000000FFFF      # 0x10 data
 *         .quad   0x00AF9B000000FFFF      # 0x18 code64
 * gdtr:
 *         .word   31
 *         .long   0x7C00 + (gdt - start)
 * </pre>
 */
class ModeSwitchTest {

    private static final int[] CODE = {
            0xFA, 0x66, 0x0F, 0x01, 0x16, 0xB8, 0x7C, 0x0F, 0x20, 0xC0, 0x0C, 0x01, 0x0F, 0x22, 0xC0, 0x66,
            0xEA, 0x17, 0x7C, 0x00, 0x00, 0x08, 0x00, 0x66, 0xB8, 0x10, 0x00, 0x8E, 0xD8, 0x8E, 0xC0, 0x8E,
            0xD0, 0xBC, 0x00, 0x70, 0x00, 0x00, 0xC7, 0x05, 0x00, 0x00, 0x01, 0x00, 0x03, 0x10, 0x01, 0x00,
            0xC7, 0x05, 0x00, 0x10, 0x01, 0x00, 0x03, 0x20, 0x01, 0x00, 0xC7, 0x05, 0x00, 0x20, 0x01, 0x00,
            0x83, 0x00, 0x00, 0x00, 0xB8, 0x00, 0x00, 0x01, 0x00, 0x0F, 0x22, 0xD8, 0x0F, 0x20, 0xE0, 0x83,
            0xC8, 0x20, 0x0F, 0x22, 0xE0, 0xB9, 0x80, 0x00, 0x00, 0xC0, 0x0F, 0x32, 0x0D, 0x00, 0x01, 0x00,
            0x00, 0x0F, 0x30, 0x0F, 0x20, 0xC0, 0x0D, 0x00, 0x00, 0x00, 0x80, 0x0F, 0x22, 0xC0, 0xEA, 0x75,
            0x7C, 0x00, 0x00, 0x18, 0x00, 0x48, 0xB8, 0xF0, 0xDE, 0xBC, 0x9A, 0x78, 0x56, 0x34, 0x12, 0x48,
            0x89, 0x04, 0x25, 0x00, 0x80, 0x00, 0x00, 0x6A, 0x07, 0x5B, 0xB8, 0x2A, 0x00, 0x00, 0x00, 0xE7,
            0xF4, 0xF4, 0x8D, 0xB6, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9B, 0xCF, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x93, 0xCF, 0x00,
            0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9B, 0xAF, 0x00, 0x1F, 0x00, 0x98, 0x7C, 0x00, 0x00,
    };

    @Test
    void realToProtectedToLongModeThroughTheRunLoop() {
        try (GuestMemory mem = GuestMemory.allocate(32L << 20);
             EmulatorPartition p = new EmulatorPartition(new BackendPartitionConfig("modeswitch", 1, mem))) {
            byte[] code = new byte[CODE.length];
            for (int i = 0; i < code.length; i++) {
                code[i] = (byte) CODE[i];
            }
            mem.write(0x7C00, code);
            BackendVcpu vcpu = p.createVcpu(0);
            vcpu.setState(VpState.builder().rip(0x7C00).gpr(Gpr.RSP, 0x7C00).build());
            VcpuExit exit = vcpu.run();
            assertEquals(new VcpuExit.PortIo(0xF4, 4, true, 0x2A), exit);
            VpState s = vcpu.getState();
            assertEquals(0x2A, s.gpr(Gpr.RAX));
            assertEquals(7, s.gpr(Gpr.RBX));
            assertEquals(0x123456789abcdef0L, mem.readU64(0x8000));
            assertEquals(0x18, s.cs().selector());
            assertTrue((s.cs().attributes() & SegmentRegister.L) != 0, "64-bit code segment");
            assertEquals(0x500, s.efer() & 0x500, "LME and LMA");
            assertEquals(0x80000001L, s.cr0() & 0x80000001L);
            assertEquals(0x7000, s.gpr(Gpr.RSP));
            exit = vcpu.run();
            assertEquals(VcpuExit.Halt.INSTANCE, exit, "HLT with IF=0");
        }
    }
}
