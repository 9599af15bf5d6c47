package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;
import static dev.partita.emulator.exec.IntegerOps.sext;

import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Decoder;
import dev.partita.emulator.decoder.Ops;
import dev.partita.emulator.decoder.Ops.Alu;
import dev.partita.emulator.decoder.Ops.Flag;
import dev.partita.emulator.decoder.SysOp;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.emulator.mmu.PhysicalMemory;

/**
 * The interpreter: fetches decoded instructions from the per-physical-page {@link DecodeCache}
 * (decoding on a miss) and executes them with a switch on the small op id. General-purpose integer
 * families are here and in {@link IntegerOps}, {@link ShiftOps}, {@link MulDivOps},
 * {@link StringOps}, {@link BcdOps}; x87 in {@link X87Unit}; MMX/SSE in {@link SimdUnit}; system
 * instructions go to the {@link SystemInterface}.
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
    private final PhysicalMemory physical;
    private final DecodeCache cache = new DecodeCache();
    private final Decoder decoder = new Decoder();
    private final byte[] fetchBuffer = new byte[Decoder.MAX_LENGTH];
    private final DecodedInsn scratch = new DecodedInsn();
    private final StringOps strings;
    private final AtomicRam atomicRam = new AtomicRam();
    private final X87Unit x87;
    private final SimdUnit simd;
    private final Sse4Unit sse4;

    /** Offset (in CS) of the instruction after the one executing. */
    long nextRip;
    private volatile boolean stopRequested;
    /** Set by instructions after which the run slice must end (flags/mode changes, HLT). */
    boolean endSlice;
    private long retired;

    private long lastPage = -1;
    private long lastLinearPage = -1;
    private DecodedInsn[] lastSlots;
    private int lastGeneration;

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
        this.physical = mmu.memory();
        this.strings = new StringOps(this);
        this.x87 = new X87Unit(this);
        this.simd = new SimdUnit(this);
        this.sse4 = new Sse4Unit(this);
        physical.setCodeWriteListener(page -> {
            cache.codeWritten(page);
            lastPage = -1;
            lastLinearPage = -1;
        });
    }

    AtomicRam atomicRam() {
        return atomicRam;
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
                    d = fetch();
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
            d = nextInSamePage();
        }
        return retired - start;
    }

    /**
     * The decoded instruction at the new RIP when it lies in the code page the previous
     * instruction came from (fall-through or a branch within the page), or null to go through
     * {@link #fetch()}. Valid because the linear-to-physical mapping of that page can only change
     * through instructions that end the run slice (MOV CR3, INVLPG, mode changes), and writes to the
     * page bump the cache generation.
     */
    private DecodedInsn nextInSamePage() {
        long rip = cpu.rip;
        boolean flat64 = cpu.longMode64;
        long lin = flat64 ? rip : (cpu.seg[SegReg.CS].base + rip) & 0xFFFF_FFFFL;
        if ((lin >>> 12) != lastLinearPage || lastGeneration != cache.generation) {
            return null;
        }
        DecodedInsn d = lastSlots[(int) (lin & 0xFFF)];
        if (d == null || d.mode != cpu.codeBits) {
            return null;
        }
        if (!flat64 && rip + d.length - 1 > cpu.seg[SegReg.CS].highLimit) {
            return null;
        }
        return d;
    }

    /** Executes exactly one instruction; exceptions propagate to the caller (RIP not advanced). */
    public void step() {
        execute(fetch());
    }

    /** Decodes the bytes at a physical address without caching (diagnostics, test messages). */
    public DecodedInsn fetchAt(long physical, int mode) {
        DecodedInsn d = new DecodedInsn();
        byte[] b = new byte[Decoder.MAX_LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) this.physical.read(physical + i, 1);
        }
        decoder.decode(b, 0, b.length, mode, d);
        return d;
    }

    /** Decodes (or finds in the cache) the instruction at CS:RIP. */
    public DecodedInsn fetch() {
        long rip = cpu.rip;
        int mode = cpu.codeBits;
        long lin = mmu.codeLinear(rip, 1);
        long phys = mmu.translateCode(lin);
        long page = phys >>> 12;
        DecodedInsn[] slots;
        if (page == lastPage && lastGeneration == cache.generation) {
            slots = lastSlots;
        } else {
            slots = cache.get(page);
            if (slots == null) {
                if (!physical.markCode(phys)) {
                    lastLinearPage = -1;
                    return decodeUncached(lin, phys, mode);
                }
                slots = cache.getOrCreate(page);
            }
            lastPage = page;
            lastSlots = slots;
            lastGeneration = cache.generation;
        }
        lastLinearPage = lin >>> 12;
        int off = (int) (phys & 0xFFF);
        DecodedInsn d = slots[off];
        if (d == null || d.mode != mode) {
            d = new DecodedInsn();
            if (!decodeAt(lin, phys, mode, d)) {
                if (d.length > 0 && !cpu.longMode64) {
                    mmu.codeLinear(rip, d.length);
                }
                return d; // crosses a page: not cached
            }
            slots[off] = d;
        }
        if (!cpu.longMode64) {
            mmu.codeLinear(rip, d.length);
        }
        return d;
    }

    private DecodedInsn decodeUncached(long lin, long phys, int mode) {
        decodeAt(lin, phys, mode, scratch);
        if (!cpu.longMode64) {
            mmu.codeLinear(cpu.rip, scratch.length);
        }
        return scratch;
    }

    /** Decodes at {@code lin}/{@code phys}; returns false if the instruction crosses into the next page. */
    private boolean decodeAt(long lin, long phys, int mode, DecodedInsn out) {
        int inPage = (int) Math.min(Decoder.MAX_LENGTH, DecodeCache.PAGE_SIZE - (phys & 0xFFF));
        for (int i = 0; i < inPage; i++) {
            fetchBuffer[i] = (byte) physical.read(phys + i, 1);
        }
        int n = decoder.decode(fetchBuffer, 0, inPage, mode, out);
        if (n != Decoder.NEED_MORE_BYTES) {
            return true;
        }
        for (int i = inPage; i < Decoder.MAX_LENGTH; i++) {
            fetchBuffer[i] = (byte) mmu.fetchU8(lin + i);
            n = decoder.decode(fetchBuffer, 0, i + 1, mode, out);
            if (n != Decoder.NEED_MORE_BYTES) {
                return false;
            }
        }
        decoder.decode(fetchBuffer, 0, Decoder.MAX_LENGTH, mode, out);
        return false;
    }

    // ------------------------------------------------------------------ operand access


    long reg(int r, int size) {
        return size == 1 ? reg8(r) : gpr[r] & (-1L >>> (64 - (size << 3)));
    }

    private long reg8(int r) {
        return r < 16 ? gpr[r] & 0xFF : (gpr[r - DecodedInsn.HIGH_BYTE_BASE] >>> 8) & 0xFF;
    }

    void setReg(int r, int size, long v) {
        if (size >= 4) {
            gpr[r] = v & (-1L >>> (64 - (size << 3)));
        } else {
            setRegNarrow(r, size, v);
        }
    }

    private void setRegNarrow(int r, int size, long v) {
        if (size == 2) {
            gpr[r] = (gpr[r] & ~0xFFFFL) | (v & 0xFFFF);
        } else if (r < 16) {
            gpr[r] = (gpr[r] & ~0xFFL) | (v & 0xFF);
        } else {
            int x = r - DecodedInsn.HIGH_BYTE_BASE;
            gpr[x] = (gpr[x] & ~0xFF00L) | ((v & 0xFF) << 8);
        }
    }

    /** Effective address of the memory operand, reduced to the address size. */
    long ea(DecodedInsn d) {
        int b = d.base;
        long a = d.disp + (b < 0 ? 0 : b == DecodedInsn.BASE_RIP ? nextRip : gpr[b]);
        int i = d.index;
        if (i >= 0) {
            a += gpr[i] << d.scale;
        }
        return a & (-1L >>> (64 - (d.addrSize << 3)));
    }

    long read(int seg, long off, int size) {
        return switch (size) {
            case 1 -> mmu.readU8(seg, off);
            case 2 -> mmu.readU16(seg, off);
            case 4 -> mmu.readU32(seg, off) & 0xFFFF_FFFFL;
            default -> mmu.readU64(seg, off);
        };
    }

    void write(int seg, long off, int size, long v) {
        switch (size) {
            case 1 -> mmu.writeU8(seg, off, (int) v);
            case 2 -> mmu.writeU16(seg, off, (int) v);
            case 4 -> mmu.writeU32(seg, off, (int) v);
            default -> mmu.writeU64(seg, off, v);
        }
    }

    /**
     * Reads the destination of a read-modify-write instruction: the translation is made with write
     * intent first, so a fault reports a write (as the processor does) and nothing is committed
     * before the write can no longer fault.
     */
    long readForWrite(int seg, long off, int size) {
        mmu.probeWrite(seg, off, size);
        return read(seg, off, size);
    }

    /** Reads the r/m operand at {@code size}. */
    long readRm(DecodedInsn d, int size) {
        return d.rm >= 0 ? reg(d.rm, size) : read(d.seg, ea(d), size);
    }

    /** Writes the r/m operand at {@code size}. */
    void writeRm(DecodedInsn d, int size, long v) {
        if (d.rm >= 0) {
            setReg(d.rm, size, v);
        } else {
            write(d.seg, ea(d), size, v);
        }
    }

    /** Masks an IP/EIP/RIP value to the operand size of a branch and checks it against CS. */
    long branchTarget(long target, int opSize) {
        long t = opSize == 2 ? target & 0xFFFF : opSize == 4 ? target & 0xFFFF_FFFFL : target;
        if (cpu.longMode64) {
            if (((t << 16) >> 16) != t) {
                throw CpuException.gp(0);
            }
        } else if (t > cpu.seg[SegReg.CS].highLimit && cpu.protectedMode()) {
            throw CpuException.gp(0);
        }
        return t;
    }

    // ------------------------------------------------------------------ stack

    /** The stack pointer after pushing {@code size} bytes from {@code sp}, at the stack width. */
    long spMinus(long sp, int size) {
        return switch (cpu.stackBits) {
            case 64 -> sp - size;
            case 32 -> (sp - size) & 0xFFFF_FFFFL;
            default -> (sp - size) & 0xFFFF;
        };
    }

    long spPlus(long sp, int size) {
        return switch (cpu.stackBits) {
            case 64 -> sp + size;
            case 32 -> (sp + size) & 0xFFFF_FFFFL;
            default -> (sp + size) & 0xFFFF;
        };
    }

    /** The stack-pointer register value as an offset at the stack width. */
    long sp() {
        return switch (cpu.stackBits) {
            case 64 -> gpr[4];
            case 32 -> gpr[4] & 0xFFFF_FFFFL;
            default -> gpr[4] & 0xFFFF;
        };
    }

    /** Stores a new stack offset into RSP/ESP/SP. */
    void setSp(long sp) {
        switch (cpu.stackBits) {
            case 64 -> gpr[4] = sp;
            case 32 -> gpr[4] = sp & 0xFFFF_FFFFL;
            default -> gpr[4] = (gpr[4] & ~0xFFFFL) | (sp & 0xFFFF);
        }
    }

    void push(int size, long v) {
        long sp = spMinus(sp(), size);
        write(SegReg.SS, sp, size, v);
        setSp(sp);
    }

    long pop(int size) {
        long sp = sp();
        long v = read(SegReg.SS, sp, size);
        setSp(spPlus(sp, size));
        return v;
    }

    // ------------------------------------------------------------------ execution

    /** Executes {@code d}, which was decoded at CS:{@code cpu.rip}; advances RIP unless it transferred control. */
    public void execute(DecodedInsn d) {
        long rip = cpu.rip;
        long next = rip + d.length;
        if (!cpu.longMode64) {
            next &= 0xFFFF_FFFFL;
        }
        nextRip = next;
        if (dispatch(d)) {
            cpu.rip = next;
        }
        retired++;
    }

    /**
     * Executes one instruction; returns true when RIP should advance to {@link #nextRip}. Each case
     * is one call to a small handler so that the JIT compiles every handler with its helpers inlined
     * (a single large switch body would leave the helpers as out-of-line calls).
     */
    private boolean dispatch(DecodedInsn d) {
        switch (d.op) {
            case Ops.UD -> throw CpuException.ud();
            case Ops.GP_TOO_LONG -> throw CpuException.gp(0);
            case Ops.ALU_EG -> aluEG(d);
            case Ops.ALU_GE -> aluGE(d);
            case Ops.ALU_EI -> aluEI(d);
            case Ops.TEST_EG -> flags.setLogic(d.size, readRm(d, d.size) & reg(d.reg, d.size));
            case Ops.TEST_EI -> flags.setLogic(d.size, readRm(d, d.size) & d.imm);
            case Ops.INC, Ops.DEC, Ops.NOT, Ops.NEG -> unary(d, d.size);
            case Ops.MULDIV -> MulDivOps.accumulator(gpr, flags, d.sub, d.size, readRm(d, d.size));
            case Ops.IMUL_GE -> setReg(d.reg, d.size, MulDivOps.imul(flags, d.size, reg(d.reg, d.size), readRm(d, d.size)));
            case Ops.IMUL_GEI -> setReg(d.reg, d.size, MulDivOps.imul(flags, d.size, readRm(d, d.size), d.imm));
            case Ops.SHIFT_I, Ops.SHIFT_CL -> shift(d);
            case Ops.SHXD_I, Ops.SHXD_CL -> doubleShift(d);
            case Ops.BT_EG, Ops.BT_EI -> bitTest(d, d.size);
            case Ops.BSF, Ops.BSR, Ops.TZCNT, Ops.LZCNT, Ops.POPCNT, Ops.BSWAP -> bitCount(d);
            case Ops.MOV_EG -> writeRm(d, d.size, reg(d.reg, d.size));
            case Ops.MOV_GE -> setReg(d.reg, d.size, readRm(d, d.size));
            case Ops.MOV_EI -> writeRm(d, d.size, d.imm);
            case Ops.MOVZX -> setReg(d.reg, d.size, readRm(d, d.sub));
            case Ops.MOVSX -> movsx(d);
            case Ops.LEA -> setReg(d.reg, d.size, ea(d));
            case Ops.XCHG -> exchange(d, d.size);
            case Ops.CMPXCHG -> compareExchange(d, d.size);
            case Ops.XADD -> exchangeAdd(d, d.size);
            case Ops.CMPXCHG_DOUBLE -> compareExchangeDouble(d, d.size);
            case Ops.CBW, Ops.CWD, Ops.XLAT, Ops.MOVBE -> convert(d);
            case Ops.CMOVCC -> cmov(d);
            case Ops.SETCC -> writeRm(d, 1, flags.cond(d.sub) ? 1 : 0);
            case Ops.PUSH_E -> push(d.size, readRm(d, d.size));
            case Ops.PUSH_I -> push(d.size, d.imm);
            case Ops.POP_E -> popToRm(d, d.size);
            case Ops.PUSHA -> pushAll(d.size);
            case Ops.POPA -> popAll(d.size);
            case Ops.PUSHF -> pushFlags(d.size);
            case Ops.POPF -> popFlags(d.size);
            case Ops.ENTER -> enter(d.size, (int) (d.imm & 0xFFFF), d.imm2 & 0x1F);
            case Ops.LEAVE -> leave(d);
            case Ops.JCC -> {
                return jcc(d);
            }
            case Ops.JMP_REL, Ops.CALL_REL, Ops.JMP_E, Ops.CALL_E -> {
                nearTransfer(d);
                return false;
            }
            case Ops.RET -> {
                ret(d);
                return false;
            }
            case Ops.LOOP -> {
                return loop(d);
            }
            case Ops.FLAGOP -> flagOp(d.sub);
            case Ops.SAHF -> flags.merge(LazyFlags.SF | LazyFlags.ZF | LazyFlags.AF | LazyFlags.PF | LazyFlags.CF,
                    (gpr[0] >>> 8) & 0xFF);
            case Ops.LAHF -> setReg(DecodedInsn.HIGH_BYTE_BASE, 1, (flags.get() & 0xD5) | 2);
            case Ops.MOVS, Ops.CMPS, Ops.STOS, Ops.LODS, Ops.SCAS, Ops.INS, Ops.OUTS -> {
                return strings.execute(d);
            }
            case Ops.DAA, Ops.DAS, Ops.AAA, Ops.AAS, Ops.AAM, Ops.AAD, Ops.SALC -> BcdOps.execute(this, d);
            case Ops.BOUND -> bound(d, d.size);
            case Ops.ARPL -> arpl(d);
            case Ops.NOP, Ops.PAUSE -> {
            }
            case Ops.PUSH_SEG, Ops.POP_SEG, Ops.MOV_E_SEG, Ops.MOV_SEG_E, Ops.LOAD_FAR_PTR -> segmentOp(d);
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

    private void aluEG(DecodedInsn d) {
        int size = d.size;
        long b = reg(d.reg, size);
        if (d.rm >= 0) {
            long r = IntegerOps.alu(flags, d.sub, size, reg(d.rm, size), b);
            if (d.sub != Alu.CMP) {
                setReg(d.rm, size, r);
            }
        } else {
            aluMemory(d, size, b);
        }
    }

    private void aluGE(DecodedInsn d) {
        int size = d.size;
        long r = IntegerOps.alu(flags, d.sub, size, reg(d.reg, size), readRm(d, size));
        if (d.sub != Alu.CMP) {
            setReg(d.reg, size, r);
        }
    }

    private void aluEI(DecodedInsn d) {
        int size = d.size;
        if (d.rm >= 0) {
            long r = IntegerOps.alu(flags, d.sub, size, reg(d.rm, size), d.imm);
            if (d.sub != Alu.CMP) {
                setReg(d.rm, size, r);
            }
        } else {
            aluMemory(d, size, d.imm);
        }
    }

    private void shift(DecodedInsn d) {
        int size = d.size;
        int count = d.op == Ops.SHIFT_I ? (int) d.imm : (int) gpr[1] & 0xFF;
        if (d.rm >= 0) {
            setReg(d.rm, size, ShiftOps.shift(flags, d.sub, size, reg(d.rm, size), count));
        } else {
            long ea = ea(d);
            long v = readForWrite(d.seg, ea, size);
            long r = ShiftOps.shift(flags, d.sub, size, v, count);
            write(d.seg, ea, size, r);
        }
    }

    private void doubleShift(DecodedInsn d) {
        int size = d.size;
        int count = d.op == Ops.SHXD_I ? (int) d.imm : (int) gpr[1] & 0xFF;
        long b = reg(d.reg, size);
        if (d.rm >= 0) {
            setReg(d.rm, size, ShiftOps.doubleShift(flags, d.sub == 1, size, reg(d.rm, size), b, count));
        } else {
            long ea = ea(d);
            long v = readForWrite(d.seg, ea, size);
            write(d.seg, ea, size, ShiftOps.doubleShift(flags, d.sub == 1, size, v, b, count));
        }
    }

    private void bitCount(DecodedInsn d) {
        int size = d.size;
        switch (d.op) {
            case Ops.BSF, Ops.BSR -> {
                long r = IntegerOps.bitScan(flags, size, readRm(d, size), d.op == Ops.BSR);
                if (r >= 0) {
                    setReg(d.reg, size, r);
                }
            }
            case Ops.TZCNT, Ops.LZCNT -> setReg(d.reg, size,
                    IntegerOps.count(flags, size, readRm(d, size), d.op == Ops.LZCNT));
            case Ops.POPCNT -> setReg(d.reg, size, IntegerOps.popcnt(flags, size, readRm(d, size)));
            default -> setReg(d.rm, size, IntegerOps.bswap(size, reg(d.rm, size)));
        }
    }

    private void movsx(DecodedInsn d) {
        int from = Math.min(d.sub, d.size);
        setReg(d.reg, d.size, sext(readRm(d, from), from));
    }

    private void convert(DecodedInsn d) {
        int size = d.size;
        switch (d.op) {
            case Ops.CBW -> {
                int half = size >> 1;
                setReg(0, size, sext(reg(0, half), half));
            }
            case Ops.CWD -> setReg(2, size, sext(reg(0, size), size) < 0 ? -1 : 0);
            case Ops.XLAT -> {
                long a = (gpr[3] + (gpr[0] & 0xFF)) & mask(d.addrSize);
                setReg(0, 1, read(d.seg, a, 1));
            }
            default -> {
                if (d.sub == 0) {
                    setReg(d.reg, size, byteSwap(size, read(d.seg, ea(d), size)));
                } else {
                    write(d.seg, ea(d), size, byteSwap(size, reg(d.reg, size)));
                }
            }
        }
    }

    private void cmov(DecodedInsn d) {
        int size = d.size;
        long v = readRm(d, size);
        if (flags.cond(d.sub)) {
            setReg(d.reg, size, v);
        } else if (size == 4) {
            gpr[d.reg] &= 0xFFFF_FFFFL;
        }
    }

    private void leave(DecodedInsn d) {
        int size = d.size;
        long bp = switch (cpu.stackBits) {
            case 64 -> gpr[5];
            case 32 -> gpr[5] & 0xFFFF_FFFFL;
            default -> gpr[5] & 0xFFFF;
        };
        long v = read(SegReg.SS, bp, size);
        setSp(spPlus(bp, size));
        setReg(5, size, v);
    }

    private boolean jcc(DecodedInsn d) {
        if (flags.cond(d.sub)) {
            cpu.rip = branchTarget(nextRip + d.imm, d.opSize);
            return false;
        }
        return true;
    }

    private void nearTransfer(DecodedInsn d) {
        int os = d.opSize;
        long t = switch (d.op) {
            case Ops.JMP_REL, Ops.CALL_REL -> branchTarget(nextRip + d.imm, os);
            default -> branchTarget(readRm(d, os), os);
        };
        if (d.op == Ops.CALL_REL || d.op == Ops.CALL_E) {
            push(os, nextRip);
        }
        cpu.rip = t;
    }

    private void ret(DecodedInsn d) {
        long sp = sp();
        long t = branchTarget(read(SegReg.SS, sp, d.opSize), d.opSize);
        setSp(spPlus(sp, d.opSize + (int) (d.imm & 0xFFFF)));
        cpu.rip = t;
    }

    private void segmentOp(DecodedInsn d) {
        int size = d.size;
        switch (d.op) {
            case Ops.PUSH_SEG -> push(size, cpu.seg[d.sub].selector);
            case Ops.POP_SEG -> {
                long sp = sp();
                int sel = (int) read(SegReg.SS, sp, size) & 0xFFFF;
                sys.loadSegment(d.sub, sel);
                setSp(spPlus(sp, size));
                if (d.sub == SegReg.SS) {
                    cpu.interruptShadow = true;
                    endSlice = true;
                }
            }
            case Ops.MOV_E_SEG -> {
                int sel = cpu.seg[d.reg].selector;
                if (d.rm >= 0) {
                    setReg(d.rm, size, sel);
                } else {
                    write(d.seg, ea(d), 2, sel);
                }
            }
            case Ops.MOV_SEG_E -> {
                if (d.reg == SegReg.CS) {
                    throw CpuException.ud();
                }
                sys.loadSegment(d.reg, (int) readRm(d, 2));
                if (d.reg == SegReg.SS) {
                    cpu.interruptShadow = true;
                    endSlice = true;
                }
            }
            default -> {
                long ea = ea(d);
                long off = read(d.seg, ea, size);
                int sel = (int) read(d.seg, (ea + size) & mask(d.addrSize), 2);
                sys.loadSegment(d.sub, sel);
                setReg(d.reg, size, off);
            }
        }
    }

    private static long byteSwap(int size, long v) {
        return switch (size) {
            case 2 -> Short.reverseBytes((short) v) & 0xFFFF;
            case 4 -> Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            default -> Long.reverseBytes(v);
        };
    }

    /** Read-modify-write ALU on memory; LOCK makes it atomic on RAM. */
    private void aluMemory(DecodedInsn d, int size, long b) {
        long ea = ea(d);
        if (d.sub == Alu.CMP) {
            IntegerOps.alu(flags, Alu.CMP, size, read(d.seg, ea, size), b);
            return;
        }
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            AtomicRam.Cell cell = AtomicRam.locate(this, d.seg, ea, size);
            if (cell != null) {
                for (;;) {
                    long old = cell.get();
                    long r = IntegerOps.alu(flags, d.sub, size, old, b);
                    if (cell.compareAndSet(old, r)) {
                        return;
                    }
                }
            }
        }
        long v = readForWrite(d.seg, ea, size);
        long r = IntegerOps.alu(flags, d.sub, size, v, b);
        write(d.seg, ea, size, r);
    }

    private void unary(DecodedInsn d, int size) {
        int op = d.op;
        if (d.rm >= 0) {
            long v = reg(d.rm, size);
            setReg(d.rm, size, unaryOp(op, size, v));
            return;
        }
        long ea = ea(d);
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            AtomicRam.Cell cell = AtomicRam.locate(this, d.seg, ea, size);
            if (cell != null) {
                for (;;) {
                    long old = cell.get();
                    long r = unaryOp(op, size, old);
                    if (cell.compareAndSet(old, r)) {
                        return;
                    }
                }
            }
        }
        long v = readForWrite(d.seg, ea, size);
        write(d.seg, ea, size, unaryOp(op, size, v));
    }

    private long unaryOp(int op, int size, long v) {
        return switch (op) {
            case Ops.INC -> IntegerOps.inc(flags, size, v);
            case Ops.DEC -> IntegerOps.dec(flags, size, v);
            case Ops.NOT -> ~v;
            default -> IntegerOps.neg(flags, size, v);
        };
    }

    private void bitTest(DecodedInsn d, int size) {
        int bits = size << 3;
        long offset = d.op == Ops.BT_EI ? d.imm & 0xFF : reg(d.reg, size);
        int sub = d.sub;
        long v;
        int bit;
        if (d.rm >= 0) {
            bit = (int) (offset & (bits - 1));
            v = reg(d.rm, size);
            long nv = btApply(sub, v, bit);
            if (sub != 0) {
                setReg(d.rm, size, nv);
            }
        } else {
            long ea = ea(d);
            if (d.op == Ops.BT_EG) {
                long signedOff = sext(offset, size);
                ea = (ea + (signedOff >> (size == 8 ? 6 : size == 4 ? 5 : 4)) * size) & mask(d.addrSize);
            }
            bit = (int) (offset & (bits - 1));
            if (sub != 0 && (d.prefixes & DecodedInsn.P_LOCK) != 0) {
                AtomicRam.Cell cell = AtomicRam.locate(this, d.seg, ea, size);
                if (cell != null) {
                    for (;;) {
                        long old = cell.get();
                        if (cell.compareAndSet(old, btApply(sub, old, bit))) {
                            v = old;
                            break;
                        }
                    }
                    setBtFlags(v, bit);
                    return;
                }
            }
            v = sub != 0 ? readForWrite(d.seg, ea, size) : read(d.seg, ea, size);
            if (sub != 0) {
                write(d.seg, ea, size, btApply(sub, v, bit));
            }
        }
        setBtFlags(v, bit);
    }

    private void setBtFlags(long v, int bit) {
        // CF = the selected bit; OF, SF, AF, PF undefined (kept), ZF kept.
        flags.merge(LazyFlags.CF, ((v >>> bit) & 1) != 0 ? LazyFlags.CF : 0);
    }

    private static long btApply(int sub, long v, int bit) {
        return switch (sub) {
            case 1 -> v | (1L << bit);
            case 2 -> v & ~(1L << bit);
            case 3 -> v ^ (1L << bit);
            default -> v;
        };
    }

    private void exchange(DecodedInsn d, int size) {
        long a = reg(d.reg, size);
        if (d.rm >= 0) {
            long b = reg(d.rm, size);
            setReg(d.rm, size, a);
            setReg(d.reg, size, b);
            return;
        }
        long ea = ea(d);
        AtomicRam.Cell cell = AtomicRam.locate(this, d.seg, ea, size);
        long old;
        if (cell != null) {
            old = cell.getAndSet(a);
        } else {
            old = readForWrite(d.seg, ea, size);
            write(d.seg, ea, size, a);
        }
        setReg(d.reg, size, old);
    }

    private void compareExchange(DecodedInsn d, int size) {
        long src = reg(d.reg, size);
        long acc = reg(0, size);
        if (d.rm >= 0) {
            long dst = reg(d.rm, size);
            IntegerOps.alu(flags, Alu.CMP, size, acc, dst);
            if (((acc ^ dst) & mask(size)) == 0) {
                setReg(d.rm, size, src);
            } else {
                setReg(0, size, dst);
            }
            return;
        }
        long ea = ea(d);
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            AtomicRam.Cell cell = AtomicRam.locate(this, d.seg, ea, size);
            if (cell != null) {
                long witness = cell.compareAndExchange(acc, src);
                IntegerOps.alu(flags, Alu.CMP, size, acc, witness);
                if (witness != acc) {
                    setReg(0, size, witness);
                }
                return;
            }
        }
        long dst = readForWrite(d.seg, ea, size);
        IntegerOps.alu(flags, Alu.CMP, size, acc, dst);
        if (dst == acc) {
            write(d.seg, ea, size, src);
        } else {
            write(d.seg, ea, size, dst); // the processor always writes the destination
            setReg(0, size, dst);
        }
    }

    private void exchangeAdd(DecodedInsn d, int size) {
        long src = reg(d.reg, size);
        if (d.rm >= 0) {
            long dst = reg(d.rm, size);
            long sum = IntegerOps.alu(flags, Alu.ADD, size, dst, src);
            setReg(d.reg, size, dst);
            setReg(d.rm, size, sum);
            return;
        }
        long ea = ea(d);
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            AtomicRam.Cell cell = AtomicRam.locate(this, d.seg, ea, size);
            if (cell != null) {
                long old = cell.getAndAdd(src);
                IntegerOps.alu(flags, Alu.ADD, size, old, src);
                setReg(d.reg, size, old);
                return;
            }
        }
        long dst = readForWrite(d.seg, ea, size);
        long sum = IntegerOps.alu(flags, Alu.ADD, size, dst, src);
        write(d.seg, ea, size, sum);
        setReg(d.reg, size, dst);
    }

    /** CMPXCHG8B (size 4) / CMPXCHG16B (size 8, 16-byte aligned or #GP). */
    private void compareExchangeDouble(DecodedInsn d, int size) {
        long ea = ea(d);
        if (size == 8 && (ea & 15) != 0) {
            throw CpuException.gp(0);
        }
        long m = mask(size);
        mmu.probeWrite(d.seg, ea, 2 * size);
        long lo = read(d.seg, ea, size);
        long hi = read(d.seg, (ea + size) & mask(d.addrSize), size);
        boolean equal = lo == (gpr[0] & m) && hi == (gpr[2] & m);
        if (equal) {
            write(d.seg, ea, size, gpr[3]);
            write(d.seg, (ea + size) & mask(d.addrSize), size, gpr[1]);
        } else {
            write(d.seg, ea, size, lo);
            write(d.seg, (ea + size) & mask(d.addrSize), size, hi);
            setReg(0, size, lo);
            setReg(2, size, hi);
        }
        flags.merge(LazyFlags.ZF, equal ? LazyFlags.ZF : 0);
    }

    private void popToRm(DecodedInsn d, int size) {
        long sp = sp();
        long v = read(SegReg.SS, sp, size);
        long newSp = spPlus(sp, size);
        if (d.rm >= 0) {
            setSp(newSp);
            setReg(d.rm, size, v);
        } else {
            // The address is computed with the incremented stack pointer.
            long saved = gpr[4];
            setSp(newSp);
            try {
                write(d.seg, ea(d), size, v);
            } catch (RuntimeException e) {
                gpr[4] = saved;
                throw e;
            }
        }
    }

    private void pushAll(int size) {
        long sp = sp();
        long origSp = reg(4, size);
        long s = sp;
        for (int r = 0; r < 8; r++) {
            s = spMinus(s, size);
            write(SegReg.SS, s, size, r == 4 ? origSp : reg(r, size));
        }
        setSp(s);
    }

    private void popAll(int size) {
        long s = sp();
        long[] v = new long[8];
        for (int r = 7; r >= 0; r--) {
            v[r] = read(SegReg.SS, s, size);
            s = spPlus(s, size);
        }
        for (int r = 0; r < 8; r++) {
            if (r != 4) {
                setReg(r, size, v[r]);
            }
        }
        setSp(s);
    }

    private void pushFlags(int size) {
        if (cpu.v86Mode() && cpu.iopl() < 3) {
            throw CpuException.gp(0);
        }
        long f = cpu.rflags() & ~(RFlags.VM | RFlags.RF);
        push(size, f);
    }

    private void popFlags(int size) {
        if (cpu.v86Mode() && cpu.iopl() < 3) {
            throw CpuException.gp(0);
        }
        long sp = sp();
        long v = read(SegReg.SS, sp, size);
        long old = cpu.rflags();
        long changeable = RFlags.ARITH | RFlags.TF | RFlags.DF | RFlags.NT | RFlags.AC | RFlags.ID;
        if (cpu.realMode() || cpu.cpl == 0) {
            changeable |= RFlags.IOPL | RFlags.IF;
        } else if (cpu.cpl <= cpu.iopl()) {
            changeable |= RFlags.IF;
        }
        if (size == 2) {
            changeable &= 0xFFFF;
        }
        long nf = (old & ~changeable) | (v & changeable);
        nf &= ~RFlags.RF;
        setSp(spPlus(sp, size));
        cpu.setRflags(nf);
        endSlice = true;
        sys.afterFlagsChange();
    }

    private void enter(int size, int alloc, int level) {
        long sp = sp();
        long bp = switch (cpu.stackBits) {
            case 64 -> gpr[5];
            case 32 -> gpr[5] & 0xFFFF_FFFFL;
            default -> gpr[5] & 0xFFFF;
        };
        sp = spMinus(sp, size);
        write(SegReg.SS, sp, size, reg(5, size));
        long frame = sp;
        if (level > 0) {
            for (int i = 1; i < level; i++) {
                bp = spMinus(bp, size);
                long v = read(SegReg.SS, bp, size);
                sp = spMinus(sp, size);
                write(SegReg.SS, sp, size, v);
            }
            sp = spMinus(sp, size);
            write(SegReg.SS, sp, size, frame);
        }
        sp = spMinus(sp, alloc);
        // Probe the lowest byte of the new frame like the processor does.
        if (alloc > 0) {
            mmu.probeWrite(SegReg.SS, sp, 1);
        }
        setReg(5, size, frame);
        setSp(sp);
    }

    private boolean loop(DecodedInsn d) {
        int as = d.addrSize;
        long count = reg(1, as);
        boolean taken;
        if (d.sub == 3) {
            taken = count == 0;
        } else {
            count = (count - 1) & mask(as);
            taken = count != 0 && (d.sub == 2 || (d.sub == 1) == flags.zf());
        }
        long target = taken ? branchTarget(nextRip + d.imm, d.opSize) : 0;
        if (d.sub != 3) {
            setReg(1, as, count);
        }
        if (taken) {
            cpu.rip = target;
            return false;
        }
        return true;
    }

    private void flagOp(int sub) {
        switch (sub) {
            case Flag.CLC -> flags.merge(LazyFlags.CF, 0);
            case Flag.STC -> flags.merge(LazyFlags.CF, LazyFlags.CF);
            case Flag.CMC -> flags.merge(LazyFlags.CF, flags.cf() ? 0 : LazyFlags.CF);
            case Flag.CLD -> cpu.rflagsSystem &= ~RFlags.DF;
            default -> cpu.rflagsSystem |= RFlags.DF;
        }
    }

    private void bound(DecodedInsn d, int size) {
        long ea = ea(d);
        long lower = sext(read(d.seg, ea, size), size);
        long upper = sext(read(d.seg, (ea + size) & mask(d.addrSize), size), size);
        long idx = sext(reg(d.reg, size), size);
        if (idx < lower || idx > upper) {
            throw CpuException.of(dev.partita.emulator.cpu.Vectors.BR);
        }
    }

    private void arpl(DecodedInsn d) {
        if (!cpu.protectedMode()) {
            throw CpuException.ud();
        }
        long dst = readRm(d, 2);
        long src = reg(d.reg, 2);
        if ((dst & 3) < (src & 3)) {
            writeRm(d, 2, (dst & ~3L) | (src & 3));
            flags.merge(LazyFlags.ZF, LazyFlags.ZF);
        } else {
            flags.merge(LazyFlags.ZF, 0);
        }
    }

    /** Whether the given system op may be executed (used by SystemDispatch for IN/OUT sizes). */
    static boolean isControlTransfer(int sysOp) {
        return switch (sysOp) {
            case SysOp.INT3, SysOp.INT, SysOp.INTO, SysOp.INT1, SysOp.IRET, SysOp.CALLF_A, SysOp.JMPF_A,
                    SysOp.RETF, SysOp.SYSCALL, SysOp.SYSRET, SysOp.SYSENTER, SysOp.SYSEXIT -> true;
            default -> false;
        };
    }
}
