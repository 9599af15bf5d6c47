package dev.partita.emulator.system;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.SysOp;
import dev.partita.emulator.exec.SystemInterface;

/**
 * Binds the interpreter ({@link SystemInterface}, operands already decoded by the interpreter's
 * system dispatch) to this package's {@link SystemUnit}. Owned by the vCPU thread.
 *
 * <p>Not implemented (raise #UD, as the baseline CPUID does not advertise them): MONITOR/MWAIT,
 * CLAC/STAC (SMAP), RSM, INVPCID, RDRAND/RDSEED.
 */
public final class SystemInstructions implements SystemInterface {

    private final SystemUnit unit;

    public SystemInstructions(SystemUnit unit) {
        this.unit = unit;
    }

    /** The system unit behind this binding. */
    public SystemUnit unit() {
        return unit;
    }

    @Override
    public boolean execute(DecodedInsn d, long nextRip) {
        int opSize = d.opSize;
        switch (d.sub) {
            case SysOp.CLI -> unit.cli();
            case SysOp.STI -> unit.sti();
            case SysOp.HLT -> unit.hlt();
            case SysOp.INT3 -> {
                unit.int3(nextRip);
                return true;
            }
            case SysOp.INT -> {
                unit.intN((int) d.imm & 0xFF, nextRip);
                return true;
            }
            case SysOp.INTO -> {
                unit.into(nextRip);
                return true;
            }
            case SysOp.INT1 -> {
                unit.int1(nextRip);
                return true;
            }
            case SysOp.IRET -> {
                unit.iret(opSize);
                return true;
            }
            case SysOp.CALLF_A -> {
                unit.farCall(d.imm2 & 0xFFFF, d.imm & mask(opSize), opSize, nextRip);
                return true;
            }
            case SysOp.JMPF_A -> {
                unit.farJump(d.imm2 & 0xFFFF, d.imm & mask(opSize), opSize);
                return true;
            }
            case SysOp.RETF -> {
                unit.farReturn(opSize, (int) d.imm & 0xFFFF);
                return true;
            }
            case SysOp.SYSCALL -> {
                unit.syscall(nextRip);
                return true;
            }
            case SysOp.SYSRET -> {
                unit.sysret(opSize == 8 ? 8 : 4);
                return true;
            }
            case SysOp.SYSENTER -> {
                unit.sysenter();
                return true;
            }
            case SysOp.SYSEXIT -> {
                unit.sysexit(opSize == 8 ? 8 : 4);
                return true;
            }
            case SysOp.CLTS -> unit.clts();
            case SysOp.INVD, SysOp.WBINVD -> unit.invalidateCaches();
            case SysOp.WRMSR -> unit.wrmsr();
            case SysOp.RDMSR -> unit.rdmsr();
            case SysOp.RDTSC -> unit.rdtsc();
            case SysOp.RDTSCP -> unit.rdtscp();
            case SysOp.RDPMC -> unit.rdpmc();
            case SysOp.CPUID -> unit.cpuid();
            case SysOp.SWAPGS -> unit.swapgs();
            case SysOp.XGETBV -> unit.xgetbv();
            case SysOp.XSETBV -> unit.xsetbv();
            case SysOp.VMCALL -> unit.vmcall();
            case SysOp.FENCE -> java.lang.invoke.VarHandle.fullFence();
            default -> throw CpuException.ud();
        }
        return false;
    }

    private static long mask(int opSize) {
        return switch (opSize) {
            case 2 -> 0xFFFFL;
            case 4 -> 0xFFFF_FFFFL;
            default -> -1L;
        };
    }

    @Override
    public void farTransfer(boolean call, int selector, long offset, int opSize, long nextRip) {
        if (call) {
            unit.farCall(selector, offset & mask(opSize), opSize, nextRip);
        } else {
            unit.farJump(selector, offset & mask(opSize), opSize);
        }
    }

    @Override
    public void loadSegment(int segIndex, int selector) {
        unit.loadSegment(segIndex, selector);
    }

    @Override
    public long in(int port, int size) {
        return unit.in(port, size) & 0xFFFF_FFFFL;
    }

    @Override
    public void out(int port, int size, long value) {
        unit.out(port, size, (int) value);
    }

    /**
     * The I/O permission check alone (CPL against IOPL, then the TSS bitmap): INS/OUTS raise #GP(0)
     * before touching memory or looking at RCX (the interpreter's string path calls this first).
     */
    @Override
    public void checkIoPermission(int port, int size) {
        unit.io.checkPermission(port & 0xFFFF, size);
    }

    @Override
    public void stringElementDone() {
        unit.stringElementDone();
    }

    @Override
    public void writeSystem(int sysOp, int reg, long value, int seg, long offset, DecodedInsn d) {
        switch (sysOp) {
            case SysOp.LLDT -> unit.lldt((int) value & 0xFFFF);
            case SysOp.LTR -> unit.ltr((int) value & 0xFFFF);
            case SysOp.VERR -> unit.verr((int) value & 0xFFFF);
            case SysOp.VERW -> unit.verw((int) value & 0xFFFF);
            case SysOp.LMSW -> unit.lmsw((int) value & 0xFFFF);
            case SysOp.MOV_TO_CR -> unit.movToCr(reg, value);
            case SysOp.MOV_TO_DR -> unit.movToDr(reg, value);
            case SysOp.LGDT -> unit.lgdt(seg, offset, d.opSize);
            case SysOp.LIDT -> unit.lidt(seg, offset, d.opSize);
            case SysOp.INVLPG -> unit.invlpg(seg, offset);
            case SysOp.WRFSBASE -> unit.writeSegmentBase(SegReg.FS, value);
            case SysOp.WRGSBASE -> unit.writeSegmentBase(SegReg.GS, value);
            case SysOp.CLFLUSH -> unit.mmu.readU8(seg, offset);
            default -> throw CpuException.ud();
        }
    }

    @Override
    public long readSystem(int sysOp, int reg, long value, int seg, long offset, DecodedInsn d) {
        return switch (sysOp) {
            case SysOp.SLDT -> unit.sldt();
            case SysOp.STR -> unit.str();
            case SysOp.SMSW -> unit.smsw();
            case SysOp.MOV_FROM_CR -> unit.movFromCr(reg);
            case SysOp.MOV_FROM_DR -> unit.movFromDr(reg);
            case SysOp.LAR -> unit.lar((int) value & 0xFFFF);
            case SysOp.LSL -> unit.lsl((int) value & 0xFFFF);
            case SysOp.RDFSBASE -> unit.readSegmentBase(SegReg.FS);
            case SysOp.RDGSBASE -> unit.readSegmentBase(SegReg.GS);
            case SysOp.RDPID -> unit.rdpid();
            case SysOp.SGDT -> {
                unit.sgdt(seg, offset);
                yield 0;
            }
            case SysOp.SIDT -> {
                unit.sidt(seg, offset);
                yield 0;
            }
            default -> throw CpuException.ud();
        };
    }

    @Override
    public void afterFlagsChange() {
        unit.cpu.attention = true;
    }

    @Override
    public void deliverException(CpuException e) {
        unit.deliverException(e);
    }
}
