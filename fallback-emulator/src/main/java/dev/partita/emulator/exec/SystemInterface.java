package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.decoder.DecodedInsn;

/**
 * What the interpreter needs from the system package: system instructions, segment loads, port
 * I/O and exception delivery. The interpreter decodes the operands and calls one method; the
 * implementation applies the privilege rules and the architectural effect. A method an
 * implementation does not override raises #UD after logging "not yet implemented: mnemonic".
 *
 * <p>Contract for all methods: called on the vCPU thread; the instruction has not been committed
 * yet ({@code cpu.rip} still addresses it) unless the method's documentation says otherwise;
 * faults are thrown as {@link CpuException}; {@code nextRip} is the address of the following
 * instruction, which the implementation stores in {@code cpu.rip} when it transfers control
 * (otherwise the interpreter advances RIP after a normal return).
 */
public interface SystemInterface {

    /** The default: every system instruction raises #UD ("not yet implemented"). */
    SystemInterface UNIMPLEMENTED = new SystemInterface() { };

    /** Logs once per mnemonic and returns #UD, for the defaults below. */
    static CpuException notImplemented(String mnemonic) {
        NotImplementedLog.note(mnemonic);
        return CpuException.ud();
    }

    /**
     * Executes a system instruction whose operands need no decoding by the interpreter (CLI, STI,
     * HLT, CPUID, RDMSR, WRMSR, RDTSC, RDTSCP, SWAPGS, SYSCALL, SYSRET, SYSENTER, SYSEXIT, CLTS,
     * INVD, WBINVD, INT3, INTO, INT1, INT n (imm in {@code d.imm}), IRET ({@code d.opSize}), RETF
     * ({@code d.imm} bytes), far JMP/CALL with an immediate pointer ({@code d.imm}, {@code d.imm2}),
     * XGETBV, XSETBV, MONITOR, MWAIT, CLAC, STAC, RSM, RDPMC, VMCALL…). {@code d.sub} is the
     * {@link dev.partita.emulator.decoder.SysOp}. Returns true when the method set {@code cpu.rip}
     * itself (control transfer), false to let the interpreter advance to {@code nextRip}.
     */
    default boolean execute(DecodedInsn d, long nextRip) {
        throw notImplemented(d.entry != null ? d.entry.mnemonic : "system op " + d.sub);
    }

    /**
     * Far JMP or CALL through a memory pointer (already read: {@code selector}, {@code offset}).
     * Sets {@code cpu.rip}.
     */
    default void farTransfer(boolean call, int selector, long offset, int opSize, long nextRip) {
        throw notImplemented(call ? "callf m" : "jmpf m");
    }

    /**
     * Loads a data or stack segment register (MOV Sreg, POP Sreg, LDS/LES/LFS/LGS/LSS) with the
     * checks of the current mode. {@code segIndex} is never CS.
     */
    default void loadSegment(int segIndex, int selector) {
        throw notImplemented("mov sreg");
    }

    /** IN: reads {@code size} (1, 2, 4) bytes from {@code port}. May throw an exit signal to restart. */
    default long in(int port, int size) {
        throw notImplemented("in");
    }

    /** OUT: writes {@code size} bytes to {@code port}. May throw an exit signal to restart. */
    default void out(int port, int size, long value) {
        throw notImplemented("out");
    }

    /**
     * The I/O permission check of IN/OUT alone (CPL against IOPL, then the TSS I/O bitmap), raising
     * #GP(0): INS/OUTS call it before touching memory and before looking at the REP count. The
     * default allows every access.
     */
    default void checkIoPermission(int port, int size) {
    }

    /** Called after each committed element of a REP string instruction (for exit replay bookkeeping). */
    default void stringElementDone() {
    }

    /**
     * System instructions with a ModRM operand: the interpreter passes the register value or the
     * effective address. {@code sysOp} is LLDT/LTR/VERR/VERW/LMSW (value = 16-bit operand),
     * MOV_TO_CR/MOV_TO_DR ({@code reg} = CR/DR number, value), LGDT/LIDT (value = linear? no:
     * {@code seg}/{@code offset} of the pseudo-descriptor), INVLPG (offset = effective address),
     * WRFSBASE/WRGSBASE (value), CLFLUSH.
     */
    default void writeSystem(int sysOp, int reg, long value, int seg, long offset, DecodedInsn d) {
        throw notImplemented(d.entry != null ? d.entry.mnemonic : "system op " + sysOp);
    }

    /**
     * System instructions that produce a value: SLDT, STR, SMSW, MOV_FROM_CR, MOV_FROM_DR, LAR, LSL
     * (value = selector operand; the method sets ZF itself), RDFSBASE/RDGSBASE, RDRAND/RDSEED,
     * RDPID. SGDT/SIDT store through {@code seg}/{@code offset} and return 0.
     */
    default long readSystem(int sysOp, int reg, long value, int seg, long offset, DecodedInsn d) {
        throw notImplemented(d.entry != null ? d.entry.mnemonic : "system op " + sysOp);
    }

    /**
     * Called after the interpreter committed an instruction that may unmask interrupts or change
     * the mode (STI, POPF, MOV SS/POP SS shadow, IRET…): the interpreter ends its run slice so the
     * caller can check pending events. The default does nothing.
     */
    default void afterFlagsChange() {
    }

    /**
     * Delivers an exception raised by an instruction ({@code cpu.rip} addresses the faulting
     * instruction). The default rethrows it, which ends {@link Interpreter#run} with it.
     */
    default void deliverException(CpuException e) {
        throw e;
    }
}
