package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.DiffCase;
import dev.partita.emulator.diff.DiffLayout;
import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;
import dev.partita.emulator.diff.asm.X86Asm;
import java.util.SplittableRandom;

/**
 * Builds one differential case: initial registers (random upper bits, edge values where an
 * instruction reads them), the code (through {@link X86Asm}), memory operands aimed into the data
 * region, and the bookkeeping of which flags the SDM leaves undefined at the end. Families call the
 * {@code pick*}/{@code mem}/{@code set*} helpers and then {@link #flagOp}; {@link #build} makes the
 * case. Not thread-safe.
 */
public final class GenContext {

    /** Registers never used as memory pointers in sequence mode (implicit operands of some forms). */
    private static final int IMPLICIT = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 4 | 1 << 6 | 1 << 7;

    public final SplittableRandom rng;
    /** Initial value of the operand {@code Emit.rm} returned last (unmasked). */
    public long lastRmValue;
    public final X86Asm asm = new X86Asm(DiffLayout.CODE_BASE);
    private final String family;
    private String form;
    private final long[] gpr = new long[16];
    private final long[] xmm = new long[32];
    private final long dataSeed;
    private long rflags;
    private int mxcsr = 0x1F80;
    /** Registers not to be chosen as plain operands (pointers, reserved implicit operands). */
    private int reserved = 1 << 4; // RSP only as a pointer or through stack forms
    /** Registers currently holding a pointer into the data region (base), value known. */
    private int pointers;
    /** True: only registers 0-7 and no REX (the case uses AH..BH). */
    private boolean legacyOnly;
    private final boolean sequence;
    private int undefinedFlags;
    private boolean undefinedResult;

    /** A context for one case of {@code family}; {@code sequence} keeps implicit registers free of pointers. */
    public GenContext(SplittableRandom rng, String family, boolean sequence) {
        this.rng = rng;
        this.family = family;
        this.form = family;
        this.sequence = sequence;
        for (int i = 0; i < 16; i++) {
            gpr[i] = randomValue(8);
        }
        gpr[4] = DiffLayout.DATA_BASE + DiffLayout.DATA_SIZE / 2 + 8 * rng.nextInt(-16, 16);
        rflags = rng.nextLong() & DiffLayout.INPUT_FLAGS;
        dataSeed = rng.nextLong();
    }

    /** Names the instruction form (key of the undefined-flags report). */
    public void form(String f) {
        form = f;
    }

    /** Current form key. */
    public String form() {
        return form;
    }

    /** Restricts the case to registers 0-7 without REX, so AH..BH may appear. */
    public void legacyOnly() {
        legacyOnly = true;
    }

    /** Whether this case is a multi-instruction sequence (register values may change before use). */
    public boolean isSequence() {
        return sequence;
    }

    public boolean isLegacyOnly() {
        return legacyOnly;
    }

    // ---------------------------------------------------------------- registers and values

    /** Marks registers as unavailable for operands (implicit operands such as RAX/RDX of MUL). */
    public void reserve(int... regs) {
        for (int r : regs) {
            reserved |= 1 << r;
        }
    }

    /** A free register (not reserved), optionally also excluding {@code avoid}. */
    public int pickRegNum(int avoidMask) {
        int limit = legacyOnly ? 8 : 16;
        for (int tries = 0; tries < 64; tries++) {
            int r = rng.nextInt(limit);
            if (((reserved | avoidMask) & (1 << r)) == 0) {
                return r;
            }
        }
        for (int r = 0; r < limit; r++) {
            if (((reserved | avoidMask) & (1 << r)) == 0) {
                return r;
            }
        }
        throw new IllegalStateException("no free register");
    }

    /** A free register operand of {@code size} bytes (byte registers may be AH..BH in legacy mode). */
    public Reg pickReg(int size) {
        return pickReg(size, 0);
    }

    /** As {@link #pickReg(int)} but never one of the registers in {@code avoidMask}. */
    public Reg pickReg(int size, int avoidMask) {
        if (size == 1 && legacyOnly) {
            // AL CL DL BL AH CH DH BH: the numbers 4-7 mean the high bytes of 0-3.
            for (int tries = 0; tries < 64; tries++) {
                int r = rng.nextInt(8);
                int owner = r & 3;
                if (((reserved | avoidMask) & (1 << owner)) == 0) {
                    return new Reg(r, 1, r >= 4);
                }
            }
        }
        return new Reg(pickRegNum(avoidMask), size, false);
    }

    /** The register's full 64-bit number mask, for avoid lists (AH counts as RAX). */
    public static int maskOf(Reg r) {
        return 1 << (r.high() ? r.num() - 4 : r.num());
    }

    /** Sets the low {@code r.size()} bytes of register {@code r} (AH..BH: bits 8-15), keeping the rest. */
    public void set(Reg r, long value) {
        if (r.high()) {
            int n = r.num() - 4;
            gpr[n] = (gpr[n] & ~0xFF00L) | ((value & 0xFF) << 8);
        } else if (r.size() == 8) {
            gpr[r.num()] = value;
        } else {
            long m = (1L << (8 * r.size())) - 1;
            gpr[r.num()] = (gpr[r.num()] & ~m) | (value & m);
        }
    }

    /** Sets a whole 64-bit register. */
    public void set(int num, long value) {
        gpr[num] = value;
    }

    public long get(int num) {
        return gpr[num];
    }

    /** Sets an XMM register (low, high). */
    public void setXmm(int num, long lo, long hi) {
        xmm[2 * num] = lo;
        xmm[2 * num + 1] = hi;
    }

    public void mxcsr(int value) {
        mxcsr = value;
    }

    /** Sets or clears input RFLAGS bits (only {@link DiffLayout#INPUT_FLAGS} reach the case). */
    public void setFlags(long mask, long value) {
        rflags = (rflags & ~mask) | (value & mask);
    }

    public long rflags() {
        return rflags;
    }

    /**
     * An edge or random value of {@code size} bytes (sign-extended to 64 bits is NOT applied; the
     * upper bits are random so partial-register writes are checked too).
     */
    public long edgeValue(int size) {
        int bits = 8 * size;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long low = switch (rng.nextInt(14)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> -1;
            case 3 -> mask >>> 1;                   // max signed
            case 4 -> 1L << (bits - 1);             // min signed
            case 5 -> (1L << (bits - 1)) + 1;
            case 6 -> (mask >>> 1) - 1;
            case 7 -> rng.nextInt(32);
            case 8 -> -rng.nextInt(1, 32);
            case 9 -> 0x80;
            case 10 -> 1L << rng.nextInt(bits);
            case 11 -> ~(1L << rng.nextInt(bits));
            default -> rng.nextLong();
        };
        return (rng.nextLong() & ~mask) | (low & mask);
    }

    /** A uniformly random value with random upper bits (size is informational). */
    public long randomValue(int size) {
        return rng.nextLong();
    }

    /** Sets register {@code r} to an edge value for its size. */
    public void setEdge(Reg r) {
        set(r, edgeValue(r.size()));
    }

    // ---------------------------------------------------------------- memory operands

    /**
     * A memory operand of {@code size} bytes that lands in the data region (occasionally just
     * outside it, or straddling its end, so #PF and non-canonical #GP are covered too). Picks one of
     * the addressing forms (base+disp8/32, base+index*scale+disp, index only, absolute disp32,
     * RIP-relative, 32-bit address size) and sets the pointer registers accordingly. Reuses no
     * register that already has a role in the case.
     */
    public Mem mem(int size) {
        return mem(size, size, true);
    }

    /**
     * As {@link #mem(int)}, with {@code span} bytes that must fit in the region (string/stack forms
     * need more than one element) and {@code mayFault} to allow out-of-region targets.
     */
    public Mem mem(int size, int span, boolean mayFault) {
        long target = target(Math.max(span, 1), mayFault);
        int form = rng.nextInt(legacyOnly ? 8 : 10);
        int avoid = sequence ? IMPLICIT : 0;
        if (target >= 1L << 47 || target < 0) {
            form = 1; // non-canonical targets need a 64-bit base register
        }
        if (form != 7 && form != 8 && freePointerCount(avoid) < 2) {
            form = 7 + rng.nextInt(2); // out of registers: absolute or RIP-relative
            if (target >= 1L << 47) {
                target = DiffLayout.DATA_BASE + rng.nextInt(0, DiffLayout.DATA_SIZE - Math.max(span, 1) + 1);
            }
        }
        switch (form) {
            case 0, 1, 2: { // base + disp (8, 32 or none)
                int b = pickPointer(avoid, true);
                long disp = switch (form) {
                    case 0 -> rng.nextInt(-128, 128);
                    case 1 -> rng.nextInt();
                    default -> 0;
                };
                gpr[b] = target - disp;
                return new Mem(b, Operand.NONE, 1, disp, size, false, form == 1 && rng.nextBoolean());
            }
            case 3, 4, 5: { // base + index*scale + disp
                int b = pickPointer(avoid, true);
                int i = pickPointer(avoid | 1 << b | 1 << 4, false);
                int scale = 1 << rng.nextInt(4);
                long idx = rng.nextInt(-64, 64);
                long disp = form == 3 ? 0 : form == 4 ? rng.nextInt(-128, 128) : rng.nextInt(-1 << 20, 1 << 20);
                gpr[i] = idx;
                gpr[b] = target - idx * scale - disp;
                return new Mem(b, i, scale, disp, size, false, false);
            }
            case 6: { // index*scale + disp32, no base
                int i = pickPointer(avoid | 1 << 4, false);
                int scale = 1 << rng.nextInt(4);
                long idx = rng.nextInt(0, 256);
                long disp = target - idx * scale;
                gpr[i] = idx;
                return new Mem(Operand.NONE, i, scale, disp, size, false, false);
            }
            case 7: // absolute disp32
                return new Mem(Operand.NONE, Operand.NONE, 1, target, size, false, false);
            case 8: // RIP-relative (the encoder computes the displacement)
                return Mem.ripTo(target, size);
            default: { // 32-bit address size: upper halves of base/index are ignored
                int b = pickPointer(avoid, true);
                boolean withIndex = rng.nextBoolean();
                int i = withIndex ? pickPointer(avoid | 1 << b | 1 << 4, false) : Operand.NONE;
                int scale = 1 << rng.nextInt(4);
                long idx = rng.nextInt(-64, 64);
                long disp = rng.nextInt(-128, 128);
                long low = target - (withIndex ? idx * scale : 0) - disp;
                gpr[b] = (rng.nextLong() << 32) | (low & 0xFFFF_FFFFL);
                if (withIndex) {
                    gpr[i] = (rng.nextLong() << 32) | (idx & 0xFFFF_FFFFL);
                }
                return new Mem(b, i, scale, disp, size, true, false);
            }
        }
    }

    private int freePointerCount(int avoid) {
        int limit = legacyOnly ? 8 : 16;
        int busy = reserved | avoid | pointers | 1 << 4;
        int free = 0;
        for (int r = 0; r < limit; r++) {
            free += (busy & (1 << r)) == 0 ? 1 : 0;
        }
        return free;
    }

    /** A register to hold a pointer (reserved from then on), or -1. */
    private int pickPointer(int avoid, boolean mayBeRsp) {
        int limit = legacyOnly ? 8 : 16;
        for (int tries = 0; tries < 64; tries++) {
            int r = rng.nextInt(limit);
            if (r == 4) {
                if (!mayBeRsp || stackUsed || rspIsPointer || (avoid & (1 << 4)) != 0) {
                    continue;
                }
                rspIsPointer = true;
                pointers |= 1 << r;
                return r;
            }
            if (((reserved | avoid | pointers) & (1 << r)) == 0) {
                pointers |= 1 << r;
                reserved |= 1 << r;
                return r;
            }
        }
        for (int r = 0; r < limit; r++) {
            if (r != 4 && ((reserved | avoid | pointers) & (1 << r)) == 0) {
                pointers |= 1 << r;
                reserved |= 1 << r;
                return r;
            }
        }
        return -1;
    }

    private boolean stackUsed;
    private boolean rspIsPointer;

    /** Declares that the case uses the stack (PUSH/POP/PUSHF...): RSP stays the stack pointer. */
    public void useStack() {
        if (rspIsPointer) {
            throw new IllegalStateException("RSP already used as a pointer");
        }
        stackUsed = true;
    }

    /** Whether RSP was taken as a memory pointer (then no stack forms may follow). */
    public boolean rspIsPointer() {
        return rspIsPointer;
    }

    /**
     * As {@link #mem(int)}, but the target lies in [DATA_BASE + lo, DATA_BASE + hi - span): for forms
     * that access memory at an offset from the operand (BT with a register bit offset, strings).
     */
    public Mem memWithin(int size, int span, int lo, int hi, boolean mayFault) {
        winLo = lo;
        winHi = hi;
        try {
            return mem(size, span, mayFault);
        } finally {
            winLo = 0;
            winHi = DiffLayout.DATA_SIZE;
        }
    }

    /** As {@link #mem(int)} with the in-region target aligned to {@code align} bytes. */
    public Mem memAligned(int size, int align) {
        alignNext = align;
        try {
            return mem(size);
        } finally {
            alignNext = 1;
        }
    }

    private int alignNext = 1;
    private int winLo;
    private int winHi = DiffLayout.DATA_SIZE;

    /** The effective address the last {@link #mem} call aimed at. */
    public long lastTarget() {
        return lastTarget;
    }

    private long lastTarget;

    /** The initial data-region value of {@code size} bytes at {@code addr} (0 outside the region). */
    public long initialMemory(long addr, int size) {
        long off = addr - DiffLayout.DATA_BASE;
        if (off < 0 || off + size > DiffLayout.DATA_SIZE) {
            return 0;
        }
        long[] words = dataWords();
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            long b = off + i;
            v = (v << 8) | ((words[(int) (b >>> 3)] >>> (8 * (b & 7))) & 0xFF);
        }
        return v;
    }

    private long[] dataWords;

    private long[] dataWords() {
        if (dataWords == null) {
            dataWords = dev.partita.emulator.diff.DataImage.words(dataSeed);
        }
        return dataWords;
    }

    /** A target address for an access of {@code span} bytes. */
    private long target(int span, boolean mayFault) {
        long t = target0(span, mayFault);
        lastTarget = t;
        return t;
    }

    private long target0(int span, boolean mayFault) {
        long base = DiffLayout.DATA_BASE + winLo;
        int size = winHi - winLo;
        if (mayFault && rng.nextInt(40) == 0) {
            long end = DiffLayout.DATA_BASE + DiffLayout.DATA_SIZE;
            return switch (rng.nextInt(5)) {
                case 0 -> end - span + rng.nextInt(1, Math.max(2, span));        // straddles the end
                case 1 -> end + rng.nextInt(0, 64);                              // just past the end
                case 2 -> DiffLayout.DATA_BASE - rng.nextInt(1, 64);             // just before
                case 3 -> 0x0000_8000_0000_0000L + rng.nextInt(0, 4096);         // non-canonical
                default -> DiffLayout.CODE_BASE + rng.nextInt(0, 4096 - span);   // code page (read-only)
            };
        }
        int off = switch (rng.nextInt(4)) {
            case 0 -> rng.nextInt(0, Math.max(1, size / span)) * span; // aligned
            case 1 -> size - span - rng.nextInt(0, 16);            // near the end, in range
            default -> rng.nextInt(0, size - span + 1);            // anywhere (unaligned)
        };
        off = Math.max(0, off);
        off -= off % alignNext;
        return base + off;
    }

    // ---------------------------------------------------------------- flags bookkeeping

    /**
     * Records the flag effect of the instruction just emitted: it reads {@code reads}, writes
     * {@code writes}, of which {@code undefinedOut} are undefined per the SDM. Reading a flag left
     * undefined by an earlier instruction makes everything this instruction writes undefined; so
     * does any earlier undefined register/memory result (its value may feed this instruction).
     */
    public void flagOp(int reads, int writes, int undefinedOut) {
        catchUp();
        if ((reads & undefinedFlags) != 0 || undefinedResult) {
            // Inputs (flags or, conservatively, any data after an undefined result) are undefined.
            undefinedResult = true;
            undefinedFlags |= writes;
        } else {
            undefinedFlags = (undefinedFlags & ~writes) | undefinedOut;
        }
    }

    /** The RFLAGS bits undefined at this point of the case (before the next instruction). */
    public int undefinedNow() {
        return undefinedFlags;
    }

    /** The instruction's register/memory result is undefined per the SDM for these inputs. */
    public void undefinedResult() {
        catchUp();
        undefinedResult = true;
    }

    private final java.util.List<Integer> undefinedFlagsAt = new java.util.ArrayList<>();
    private final java.util.List<Boolean> undefinedResultAt = new java.util.ArrayList<>();

    /** Records the current undefined state as the state before every instruction emitted so far. */
    private void catchUp() {
        int n = asm.starts().size();
        while (undefinedFlagsAt.size() < n) {
            undefinedFlagsAt.add(undefinedFlags);
            undefinedResultAt.add(undefinedResult);
        }
    }

    /** Builds the case. */
    public DiffCase build() {
        byte[] code = asm.bytes();
        catchUp();
        int n = undefinedFlagsAt.size();
        int[] flagsAt = new int[n + 1];
        boolean[] resultAt = new boolean[n + 1];
        for (int i = 0; i < n; i++) {
            flagsAt[i] = undefinedFlagsAt.get(i);
            resultAt[i] = undefinedResultAt.get(i);
        }
        flagsAt[n] = undefinedFlags;
        resultAt[n] = undefinedResult;
        return new DiffCase(family, form, code, asm.lines(), asm.starts(), gpr.clone(), rflags, dataSeed, xmm.clone(), mxcsr,
                flagsAt, resultAt);
    }
}
