package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.StackWidth;

/**
 * The stack as the integer instructions see it: SS-relative offsets at the current stack width
 * ({@link CpuState#stackBits}, applied through {@link StackWidth}), RSP/ESP/SP updates, and PUSH/POP
 * of a value of a given size. A push writes memory before RSP changes, so a fault leaves RSP as it
 * was.
 *
 * <p>Owned by the vCPU thread; one per {@link Interpreter}.
 */
final class StackAccess {
    private final OperandAccess ops;
    private final CpuState cpu;
    private final long[] gpr;

    StackAccess(OperandAccess ops) {
        this.ops = ops;
        this.cpu = ops.cpu;
        this.gpr = ops.gpr;
    }

    /** The stack pointer after pushing {@code size} bytes from {@code sp}, at the stack width. */
    long spMinus(long sp, int size) {
        return StackWidth.offset(sp - size, cpu.stackBits);
    }

    /** The stack pointer after popping {@code size} bytes from {@code sp}, at the stack width. */
    long spPlus(long sp, int size) {
        return StackWidth.offset(sp + size, cpu.stackBits);
    }

    /** The stack-pointer register value as an offset at the stack width. */
    long sp() {
        return StackWidth.offset(gpr[4], cpu.stackBits);
    }

    /** The frame-pointer register (RBP/EBP/BP) as an offset at the stack width. */
    long framePointer() {
        return StackWidth.offset(gpr[5], cpu.stackBits);
    }

    /** Stores a new stack offset into RSP/ESP/SP. */
    void setSp(long sp) {
        gpr[4] = StackWidth.store(gpr[4], sp, cpu.stackBits);
    }

    void push(int size, long v) {
        long sp = spMinus(sp(), size);
        ops.write(SegReg.SS, sp, size, v);
        setSp(sp);
    }

    long pop(int size) {
        long sp = sp();
        long v = ops.read(SegReg.SS, sp, size);
        setSp(spPlus(sp, size));
        return v;
    }
}
