package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Ops;
import dev.partita.emulator.mmu.Mmu;

/**
 * The interpreter: the run loop and the dispatch of decoded instructions to their families.
 * Instructions come from the {@link InstructionFetcher} (the decoded-instruction cache); the
 * dispatch switch on the small op id hands each to one handler: integer operations in
 * {@link IntegerInstructions} and {@link ExchangeInstructions}, stack instructions in
 * {@link StackInstructions}, near branches in {@link ControlTransfers}, segment registers in
 * {@link SegmentInstructions}, strings in {@link StringOps}, BCD in {@link BcdOps}, x87 in
 * {@link X87Unit}, MMX/SSE in {@link SimdUnit} and {@link Sse4Unit}; system instructions go to the
 * {@link SystemInterface} through {@link SystemDispatch}. Registers and memory are reached through
 * {@link OperandAccess} and the stack through {@link StackAccess}.
 *
 * <p>Instructions are restartable: registers and RIP are committed only after every memory access
 * that can fault (or exit to the runtime) has succeeded; REP string instructions commit per element.
 * A {@link CpuException} leaves {@code cpu.rip} at the faulting instruction.
 *
 * <p>Owned by the vCPU thread; not thread-safe, except {@link #requestStop()}, which other threads
 * may call (a plain write observed at the next instruction boundary check; callers that need a
 * prompt stop also use the backend's kick mechanism).
 */
public final class Interpreter {

    final CpuState cpu;
    final long[] gpr;
    final LazyFlags flags;
    final Mmu mmu;
    final SystemInterface sys;
    final OperandAccess ops;
    private final StackAccess stack;
    private final InstructionFetcher fetcher;
    private final IntegerInstructions integer;
    private final ExchangeInstructions exchange;
    private final StackInstructions stackOps;
    private final ControlTransfers control;
    private final SegmentInstructions segments;
    private final StringOps strings;
    private final X87Unit x87;
    private final SimdUnit simd;
    private final Sse4Unit sse4;

    private volatile boolean stopRequested;
    /** Set by instructions after which the run slice must end (flags/mode changes, HLT). */
    boolean endSlice;
    private long retired;

    /**
     * @param cpu the register state
     * @param mmu the memory path of this CPU
     * @param sys the system package's instruction implementations
     */
    public Interpreter(CpuState cpu, Mmu mmu, SystemInterface sys) {
        this.cpu = cpu;
        this.gpr = cpu.gpr;
        this.flags = cpu.flags;
        this.mmu = mmu;
        this.sys = sys;
        this.ops = new OperandAccess(cpu, mmu);
        this.stack = new StackAccess(ops);
        this.fetcher = new InstructionFetcher(cpu, mmu);
        this.integer = new IntegerInstructions(ops);
        this.exchange = new ExchangeInstructions(ops);
        this.stackOps = new StackInstructions(this, ops, stack, sys);
        this.control = new ControlTransfers(ops, stack);
        this.segments = new SegmentInstructions(this, ops, stack, sys);
        this.strings = new StringOps(ops, sys);
        this.x87 = new X87Unit(ops);
        this.simd = new SimdUnit(ops);
        this.sse4 = new Sse4Unit(ops);
    }

    /** Number of instructions retired so far. */
    public long retired() {
        return retired;
    }

    /** Asks {@link #run} to return at the next instruction boundary. Any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Executes up to {@code budget} instructions. Exceptions raised by instructions are handed to
     * {@link SystemInterface#deliverException}; the slice ends early after HLT, flag or mode changes
     * that may unmask interrupts, or {@link #requestStop()}. Other runtime exceptions (exit signals)
     * propagate with the current instruction not committed.
     *
     * @return the number of instructions retired in this call
     */
    public long run(long budget) {
        long start = retired;
        stopRequested = false;
        endSlice = false;
        long n = 0;
        DecodedInsn d = null;
        while (n < budget) {
            try {
                if (d == null) {
                    d = fetcher.fetch();
                }
                execute(d);
            } catch (CpuException e) {
                sys.deliverException(e);
                break;
            }
            n++;
            if (endSlice || stopRequested || cpu.halted) {
                break;
            }
            d = fetcher.nextInSamePage();
        }
        return retired - start;
    }

    /** Executes exactly one instruction; exceptions propagate to the caller (RIP not advanced). */
    public void step() {
        execute(fetcher.fetch());
    }

    /** Decodes the bytes at a physical address without caching (diagnostics, test messages). */
    public DecodedInsn fetchAt(long physical, int mode) {
        return fetcher.fetchAt(physical, mode);
    }

    /** Decodes (or finds in the cache) the instruction at CS:RIP. */
    public DecodedInsn fetch() {
        return fetcher.fetch();
    }

    /** Executes {@code d}, which was decoded at CS:{@code cpu.rip}; advances RIP unless it transferred control. */
    public void execute(DecodedInsn d) {
        long rip = cpu.rip;
        long next = rip + d.length;
        if (!cpu.longMode64) {
            next &= 0xFFFF_FFFFL;
        }
        ops.nextRip = next;
        if (dispatch(d)) {
            cpu.rip = next;
        }
        retired++;
    }

    /**
     * Executes one instruction; returns true when RIP should advance to
     * {@link OperandAccess#nextRip}. Each case is one call to a small handler so that the JIT
     * compiles every handler with its helpers inlined (a single large switch body would leave the
     * helpers as out-of-line calls).
     */
    private boolean dispatch(DecodedInsn d) {
        switch (d.op) {
            case Ops.UD -> throw CpuException.ud();
            case Ops.GP_TOO_LONG -> throw CpuException.gp(0);
            case Ops.ALU_EG -> integer.aluEG(d);
            case Ops.ALU_GE -> integer.aluGE(d);
            case Ops.ALU_EI -> integer.aluEI(d);
            case Ops.TEST_EG -> flags.setLogic(d.size, ops.readRm(d, d.size) & ops.reg(d.reg, d.size));
            case Ops.TEST_EI -> flags.setLogic(d.size, ops.readRm(d, d.size) & d.imm);
            case Ops.INC, Ops.DEC, Ops.NOT, Ops.NEG -> integer.unary(d, d.size);
            case Ops.MULDIV -> MulDivOps.accumulator(gpr, flags, d.sub, d.size, ops.readRm(d, d.size));
            case Ops.IMUL_GE -> ops.setReg(d.reg, d.size, MulDivOps.imul(flags, d.size, ops.reg(d.reg, d.size), ops.readRm(d, d.size)));
            case Ops.IMUL_GEI -> ops.setReg(d.reg, d.size, MulDivOps.imul(flags, d.size, ops.readRm(d, d.size), d.imm));
            case Ops.SHIFT_I, Ops.SHIFT_CL -> integer.shift(d);
            case Ops.SHXD_I, Ops.SHXD_CL -> integer.doubleShift(d);
            case Ops.BT_EG, Ops.BT_EI -> integer.bitTest(d, d.size);
            case Ops.BSF, Ops.BSR, Ops.TZCNT, Ops.LZCNT, Ops.POPCNT, Ops.BSWAP -> integer.bitCount(d);
            case Ops.MOV_EG -> ops.writeRm(d, d.size, ops.reg(d.reg, d.size));
            case Ops.MOV_GE -> ops.setReg(d.reg, d.size, ops.readRm(d, d.size));
            case Ops.MOV_EI -> ops.writeRm(d, d.size, d.imm);
            case Ops.MOVZX -> ops.setReg(d.reg, d.size, ops.readRm(d, d.sub));
            case Ops.MOVSX -> integer.movsx(d);
            case Ops.LEA -> ops.setReg(d.reg, d.size, ops.ea(d));
            case Ops.XCHG -> exchange.exchange(d, d.size);
            case Ops.CMPXCHG -> exchange.compareExchange(d, d.size);
            case Ops.XADD -> exchange.exchangeAdd(d, d.size);
            case Ops.CMPXCHG_DOUBLE -> exchange.compareExchangeDouble(d, d.size);
            case Ops.CBW, Ops.CWD, Ops.XLAT, Ops.MOVBE -> integer.convert(d);
            case Ops.CMOVCC -> integer.cmov(d);
            case Ops.SETCC -> ops.writeRm(d, 1, flags.cond(d.sub) ? 1 : 0);
            case Ops.PUSH_E -> stack.push(d.size, ops.readRm(d, d.size));
            case Ops.PUSH_I -> stack.push(d.size, d.imm);
            case Ops.POP_E -> stackOps.popToRm(d, d.size);
            case Ops.PUSHA -> stackOps.pushAll(d.size);
            case Ops.POPA -> stackOps.popAll(d.size);
            case Ops.PUSHF -> stackOps.pushFlags(d.size);
            case Ops.POPF -> stackOps.popFlags(d.size);
            case Ops.ENTER -> stackOps.enter(d.size, (int) (d.imm & 0xFFFF), d.imm2 & 0x1F);
            case Ops.LEAVE -> stackOps.leave(d);
            case Ops.JCC -> {
                return control.jcc(d);
            }
            case Ops.JMP_REL, Ops.CALL_REL, Ops.JMP_E, Ops.CALL_E -> {
                control.nearTransfer(d);
                return false;
            }
            case Ops.RET -> {
                control.ret(d);
                return false;
            }
            case Ops.LOOP -> {
                return control.loop(d);
            }
            case Ops.FLAGOP -> integer.flagOp(d.sub);
            case Ops.SAHF -> flags.merge(LazyFlags.SF | LazyFlags.ZF | LazyFlags.AF | LazyFlags.PF | LazyFlags.CF,
                    (gpr[0] >>> 8) & 0xFF);
            case Ops.LAHF -> ops.setReg(DecodedInsn.HIGH_BYTE_BASE, 1, (flags.get() & 0xD5) | 2);
            case Ops.MOVS, Ops.CMPS, Ops.STOS, Ops.LODS, Ops.SCAS, Ops.INS, Ops.OUTS -> {
                return strings.execute(d);
            }
            case Ops.DAA, Ops.DAS, Ops.AAA, Ops.AAS, Ops.AAM, Ops.AAD, Ops.SALC -> BcdOps.execute(ops, d);
            case Ops.BOUND -> integer.bound(d, d.size);
            case Ops.ARPL -> integer.arpl(d);
            case Ops.NOP, Ops.PAUSE -> {
            }
            case Ops.PUSH_SEG, Ops.POP_SEG, Ops.MOV_E_SEG, Ops.MOV_SEG_E, Ops.LOAD_FAR_PTR -> segments.segmentOp(d);
            case Ops.SYSTEM -> {
                return SystemDispatch.execute(this, d);
            }
            case Ops.X87 -> x87.execute(d);
            case Ops.SIMD -> simd.execute(d);
            case Ops.SIMD_STATE -> simd.state(d);
            case Ops.SSE4 -> sse4.execute(d);
            default -> throw CpuException.ud();
        }
        return true;
    }
}
