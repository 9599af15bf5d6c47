package dev.partita.emulator.cpu;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.ControlBits.RFlags;

/**
 * The architectural state of one emulated x86-64 logical processor. Plain public fields and arrays
 * so the interpreter reaches them without calls; the few derived values ({@link #codeBits},
 * {@link #stackBits}, {@link #longMode64}) are cached and must be refreshed with
 * {@link #updateMode()} after any change of CR0, EFER, RFLAGS.VM or the CS/SS hidden parts (the
 * system package does this; instruction code that only touches GPRs/RIP/flags never needs to).
 *
 * <p>Threading: owned by the vCPU thread that runs it. Other threads read or write it only while
 * that vCPU is stopped (the backend hands state in and out through {@code VpState}), with the
 * hand-off providing the happens-before edge.
 */
public final class CpuState {

    /** General-purpose registers RAX..R15 in encoding order (RAX=0, RCX=1, RDX=2, RBX=3, RSP=4, RBP=5, RSI=6, RDI=7, R8..R15). */
    public final long[] gpr = new long[16];
    /** Instruction pointer (full 64 bits; instruction code masks to the operand size on writes). */
    public long rip;
    /** Arithmetic flags, kept lazily ({@link LazyFlags}). */
    public final LazyFlags flags = new LazyFlags();
    /** RFLAGS bits other than the six arithmetic flags, including the fixed bit 1. */
    public long rflagsSystem = RFlags.FIXED1;

    /** ES, CS, SS, DS, FS, GS, LDTR, TR in {@link SegReg} order. */
    public final Segment[] seg = new Segment[SegReg.COUNT];
    /** Current privilege level (0-3). Kept explicitly: equals SS.DPL in protected mode, 0 in real mode, 3 in virtual-8086 mode. */
    public int cpl;

    public long gdtrBase;
    public int gdtrLimit;
    public long idtrBase;
    public int idtrLimit;

    public long cr0 = Cr0.ET | Cr0.CD | Cr0.NW;
    /** Page-fault linear address. */
    public long cr2;
    public long cr3;
    public long cr4;
    /** Task priority (CR8, bits 0-3), mirrored to/from the local APIC TPR by the platform. */
    public long cr8;
    /** DR0-DR7 (DR4/DR5 alias DR6/DR7 when CR4.DE=0; storage only, no breakpoints are raised). */
    public final long[] dr = {0, 0, 0, 0, 0, 0, 0xFFFF_0FF0L, 0x400L};
    public long efer;
    /** XCR0 (x87 always set). */
    public long xcr0 = 1;

    // ---- MSR storage (semantics in the system package) ----
    public long star;
    public long lstar;
    public long cstar;
    public long sfmask;
    public long kernelGsBase;
    public long tscAux;
    /** Value added to the virtual clock's count to give the guest TSC. */
    public long tscOffset;
    public long apicBase = 0xFEE0_0000L | (1L << 11) | (1L << 8);
    public long pat = MsrIndex.PAT_RESET;
    public long sysenterCs;
    public long sysenterEsp;
    public long sysenterEip;
    public long miscEnable = 1L; // fast strings
    public long mtrrDefType;
    /** Variable-range MTRRs: PHYSBASE0, PHYSMASK0, … PHYSMASK9 (0x200-0x213). */
    public final long[] mtrrVariable = new long[20];
    /** Fixed-range MTRRs: 0x250, 0x258, 0x259, 0x268-0x26F. */
    public final long[] mtrrFixed = new long[11];

    // ---- x87 / SSE ----
    /** x87 registers by physical number: 64-bit significand. */
    public final long[] fpuMantissa = new long[8];
    /** x87 registers by physical number: sign (bit 15) and 15-bit exponent. */
    public final int[] fpuExponent = new int[8];
    /** x87 control word. */
    public int fcw = 0x037F;
    /** x87 status word including TOP (bits 11-13). */
    public int fsw;
    /** Abridged tag word (FXSAVE form: one bit per physical register, 1 = valid). */
    public int ftwAbridged;
    public int fop;
    public long fip;
    public long fdp;
    /** XMM0-15: low qword at [2n], high qword at [2n+1]. */
    public final long[] xmm = new long[32];
    public int mxcsr = 0x1F80;

    // ---- execution state between instructions ----
    /** HLT executed and no interrupt has woken the CPU yet. */
    public boolean halted;
    /** Interrupts (and NMI-less debug traps) are inhibited for one instruction after MOV SS / POP SS / STI. */
    public boolean interruptShadow;
    /** An NMI is being handled (blocked until the next IRET). */
    public boolean nmiBlocked;
    /**
     * Set by system code when the run loop must look at events before the next instruction (STI,
     * HLT, IF set by POPF/IRET, MOV SS, mode changes). The interpreter returns to its caller after
     * an instruction that leaves it set; the backend clears it.
     */
    public boolean attention;

    // ---- cached mode ----
    /** Default code size of the current CS: 16, 32 or 64. */
    public int codeBits = 16;
    /** Stack-pointer width: 16, 32 or 64. */
    public int stackBits = 16;
    /** EFER.LMA and CS.L: 64-bit mode (segment bases of CS/DS/ES/SS ignored, canonical checks). */
    public boolean longMode64;

    public CpuState() {
        for (int i = 0; i < SegReg.COUNT; i++) {
            seg[i] = new Segment();
        }
        reset();
    }

    /** Puts the processor in its power-on state (SDM vol. 3 table 9-1): real mode at F000:FFF0. */
    public void reset() {
        java.util.Arrays.fill(gpr, 0);
        gpr[2] = 0x600; // EDX: family/model/stepping signature
        rip = 0xFFF0;
        flags.load(0);
        rflagsSystem = RFlags.FIXED1;
        int data = Segment.ATTR_P | Segment.ATTR_S | Segment.ATTR_RW | Segment.ATTR_ACCESSED;
        for (int i = 0; i < 6; i++) {
            seg[i].load(0, 0, 0xFFFF, data);
        }
        seg[SegReg.CS].load(0xF000, 0xFFFF_0000L, 0xFFFF, data | Segment.ATTR_CODE);
        seg[SegReg.LDTR].load(0, 0, 0xFFFF, Segment.ATTR_P | 0x2);
        seg[SegReg.TR].load(0, 0, 0xFFFF, Segment.ATTR_P | 0xB);
        cpl = 0;
        gdtrBase = 0;
        gdtrLimit = 0xFFFF;
        idtrBase = 0;
        idtrLimit = 0xFFFF;
        cr0 = Cr0.ET | Cr0.CD | Cr0.NW;
        cr2 = cr3 = cr4 = cr8 = 0;
        dr[0] = dr[1] = dr[2] = dr[3] = 0;
        dr[6] = 0xFFFF_0FF0L;
        dr[7] = 0x400L;
        efer = 0;
        xcr0 = 1;
        fcw = 0x037F;
        fsw = 0;
        ftwAbridged = 0;
        mxcsr = 0x1F80;
        java.util.Arrays.fill(xmm, 0);
        java.util.Arrays.fill(fpuMantissa, 0);
        java.util.Arrays.fill(fpuExponent, 0);
        halted = false;
        interruptShadow = false;
        nmiBlocked = false;
        updateMode();
    }

    /** Full RFLAGS: the lazily computed arithmetic flags composed with the stored system flags. */
    public long rflags() {
        return (flags.get() & 0xFFFF_FFFFL) | rflagsSystem;
    }

    /**
     * Sets all of RFLAGS (no privilege filtering: POPF/IRET apply their IOPL/IF/VM rules before
     * calling this). Reserved bits are dropped, bit 1 forced. Refreshes the cached mode when VM changes.
     */
    public void setRflags(long value) {
        long old = rflagsSystem;
        flags.load(value);
        rflagsSystem = (value & RFlags.ALL & ~RFlags.ARITH) | RFlags.FIXED1;
        if (((old ^ rflagsSystem) & RFlags.VM) != 0) {
            updateMode();
        }
    }

    /** RFLAGS.IF. */
    public boolean interruptsEnabled() {
        return (rflagsSystem & RFlags.IF) != 0;
    }

    /** RFLAGS.IOPL. */
    public int iopl() {
        return (int) ((rflagsSystem >>> RFlags.IOPL_SHIFT) & 3);
    }

    /** CR0.PE and not virtual-8086. */
    public boolean protectedMode() {
        return (cr0 & Cr0.PE) != 0 && (rflagsSystem & RFlags.VM) == 0;
    }

    /** CR0.PE clear. */
    public boolean realMode() {
        return (cr0 & Cr0.PE) == 0;
    }

    /** RFLAGS.VM with CR0.PE. */
    public boolean v86Mode() {
        return (cr0 & Cr0.PE) != 0 && (rflagsSystem & RFlags.VM) != 0;
    }

    /** EFER.LMA: IA-32e mode (64-bit or compatibility sub-mode). */
    public boolean longModeActive() {
        return (efer & Efer.LMA) != 0;
    }

    /** CR0.PG. */
    public boolean pagingEnabled() {
        return (cr0 & Cr0.PG) != 0;
    }

    /** Recomputes {@link #codeBits}, {@link #stackBits} and {@link #longMode64} from CR0, EFER, RFLAGS.VM, CS and SS. */
    public void updateMode() {
        Segment cs = seg[SegReg.CS];
        longMode64 = (efer & Efer.LMA) != 0 && cs.longMode();
        if (longMode64) {
            codeBits = 64;
            stackBits = 64;
        } else if (!protectedMode()) {
            codeBits = v86Mode() ? 16 : (cs.big() ? 32 : 16);
            stackBits = v86Mode() ? 16 : (seg[SegReg.SS].big() ? 32 : 16);
        } else {
            codeBits = cs.big() ? 32 : 16;
            stackBits = seg[SegReg.SS].big() ? 32 : 16;
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        String[] names = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
        for (int i = 0; i < 16; i++) {
            b.append(String.format("%s=%016x%s", names[i], gpr[i], i % 4 == 3 ? "\n" : " "));
        }
        b.append(String.format("rip=%016x rflags=%08x cpl=%d cr0=%08x cr2=%x cr3=%x cr4=%x efer=%x%n",
                rip, rflags(), cpl, cr0, cr2, cr3, cr4, efer));
        for (int i = 0; i < SegReg.COUNT; i++) {
            b.append(SegReg.name(i)).append(": ").append(seg[i]).append('\n');
        }
        b.append(String.format("gdtr=%x/%x idtr=%x/%x", gdtrBase, gdtrLimit, idtrBase, idtrLimit));
        return b.toString();
    }
}
