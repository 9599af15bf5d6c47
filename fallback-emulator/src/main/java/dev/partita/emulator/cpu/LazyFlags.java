package dev.partita.emulator.cpu;

/**
 * The six arithmetic flags (CF, PF, AF, ZF, SF, OF) kept lazily: instruction code records the last
 * flag-setting operation (its kind, width in bytes, operands and result) with one call, and the flags
 * are computed only when something reads them (Jcc, SETcc, PUSHF, ADC…). Everything else in RFLAGS
 * (IF, DF, TF, IOPL, NT, RF, VM, AC, ID, bit 1) lives in {@code CpuState}, which composes the two.
 *
 * <p>Operands and result are stored unmasked; only the low {@code size * 8} bits are meaningful.
 * Owned by one vCPU thread; not thread-safe.
 */
public final class LazyFlags {

    /** RFLAGS bit positions of the six arithmetic flags. */
    public static final int CF = 1;
    public static final int PF = 1 << 2;
    public static final int AF = 1 << 4;
    public static final int ZF = 1 << 6;
    public static final int SF = 1 << 7;
    public static final int OF = 1 << 11;
    /** All six arithmetic flags. */
    public static final int ARITH_MASK = CF | PF | AF | ZF | SF | OF;

    /** Operation kinds. {@link #EXPLICIT}: the flags are in {@code aux} as RFLAGS bits. */
    public static final int EXPLICIT = 0;
    /** dst + src. */
    public static final int ADD = 1;
    /** dst + src + carry-in (carry-in in aux). */
    public static final int ADC = 2;
    /** dst - src (also CMP, NEG with dst = 0). */
    public static final int SUB = 3;
    /** dst - src - borrow-in (borrow-in in aux). */
    public static final int SBB = 4;
    /** AND/OR/XOR/TEST: CF = OF = AF = 0. */
    public static final int LOGIC = 5;
    /** dst + 1, CF kept (old CF in aux). */
    public static final int INC = 6;
    /** dst - 1, CF kept (old CF in aux). */
    public static final int DEC = 7;
    /** Shift left by src (1..63 after masking, never 0: a zero count leaves flags alone). */
    public static final int SHL = 8;
    /** Logical shift right by src. */
    public static final int SHR = 9;
    /** Arithmetic shift right by src. */
    public static final int SAR = 10;
    /**
     * Multiply: res is the low half; aux is 1 when the high half is significant (CF = OF = aux).
     * SF, ZF, PF follow the low half; AF is cleared.
     */
    public static final int MUL = 11;

    private int kind;
    private int size = 4;
    private long dst;
    private long src;
    private long res;
    private long aux;

    /** Record an operation whose flags are derived from its operands and result. */
    public void set(int kind, int size, long dst, long src, long res) {
        this.kind = kind;
        this.size = size;
        this.dst = dst;
        this.src = src;
        this.res = res;
    }

    /** Record ADC/SBB (carry-in 0/1), INC/DEC (old CF 0/1) or MUL (overflow 0/1). */
    public void set(int kind, int size, long dst, long src, long res, int auxBit) {
        this.kind = kind;
        this.size = size;
        this.dst = dst;
        this.src = src;
        this.res = res;
        this.aux = auxBit;
    }

    /** Record a logic result (CF = OF = AF = 0). */
    public void setLogic(int size, long res) {
        this.kind = LOGIC;
        this.size = size;
        this.res = res;
    }

    /** Set all six flags explicitly from RFLAGS bits (other bits ignored). */
    public void load(long rflags) {
        this.kind = EXPLICIT;
        this.aux = rflags & ARITH_MASK;
    }

    /** Replace the flags selected by {@code mask} with those bits of {@code rflags}, keeping the rest. */
    public void merge(int mask, long rflags) {
        int cur = get();
        load((cur & ~mask) | (rflags & mask));
    }

    /** The six flags as RFLAGS bits. */
    public int get() {
        if (kind == EXPLICIT) {
            return (int) aux;
        }
        return (cf() ? CF : 0) | (pf() ? PF : 0) | (af() ? AF : 0) | (zf() ? ZF : 0) | (sf() ? SF : 0)
                | (of() ? OF : 0);
    }

    private long mask() {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    private long signBit() {
        return 1L << (size * 8 - 1);
    }

    /** Carry flag. */
    public boolean cf() {
        long m = mask();
        return switch (kind) {
            case EXPLICIT -> (aux & CF) != 0;
            case ADD -> Long.compareUnsigned(res & m, dst & m) < 0;
            case ADC -> aux != 0 ? Long.compareUnsigned(res & m, dst & m) <= 0
                    : Long.compareUnsigned(res & m, dst & m) < 0;
            case SUB -> Long.compareUnsigned(dst & m, src & m) < 0;
            case SBB -> aux != 0 ? Long.compareUnsigned(dst & m, src & m) <= 0
                    : Long.compareUnsigned(dst & m, src & m) < 0;
            case LOGIC -> false;
            case INC, DEC, MUL -> aux != 0;
            case SHL, SHR, SAR -> shiftCarry();
            default -> false;
        };
    }

    private boolean shiftCarry() {
        long m = mask();
        int bits = size * 8;
        int c = (int) src;
        return switch (kind) {
            case SHL -> c <= bits && ((dst & m) >>> (bits - c) & 1) != 0;
            case SHR -> c <= 64 && c >= 1 && (((dst & m) >>> (c - 1)) & 1) != 0;
            default -> {
                long sx = (dst << (64 - bits)) >> (64 - bits);
                yield ((sx >> Math.min(c - 1, 63)) & 1) != 0;
            }
        };
    }

    /** Zero flag. */
    public boolean zf() {
        return kind == EXPLICIT ? (aux & ZF) != 0 : (res & mask()) == 0;
    }

    /** Sign flag. */
    public boolean sf() {
        return kind == EXPLICIT ? (aux & SF) != 0 : (res & signBit()) != 0;
    }

    /** Parity flag: even number of set bits in the low byte of the result. */
    public boolean pf() {
        return kind == EXPLICIT ? (aux & PF) != 0 : (Integer.bitCount((int) res & 0xFF) & 1) == 0;
    }

    /** Auxiliary-carry flag (carry out of bit 3). */
    public boolean af() {
        return switch (kind) {
            case EXPLICIT -> (aux & AF) != 0;
            case ADD, ADC, SUB, SBB -> ((dst ^ src ^ res) & 0x10) != 0;
            case INC, DEC -> ((dst ^ 1 ^ res) & 0x10) != 0;
            // Undefined by the SDM; AMD family 19h sets it for every shift with a non-zero count.
            case SHL, SHR, SAR -> true;
            default -> false;
        };
    }

    /** Overflow flag. */
    public boolean of() {
        long sb = signBit();
        return switch (kind) {
            case EXPLICIT -> (aux & OF) != 0;
            case ADD, ADC -> ((dst ^ res) & (src ^ res) & sb) != 0;
            case SUB, SBB -> ((dst ^ src) & (dst ^ res) & sb) != 0;
            case INC -> (res & mask()) == sb;
            case DEC -> (dst & mask()) == sb;
            case MUL -> aux != 0;
            // For counts > 1 the SDM leaves OF undefined; the 1-count formulas are used for all counts.
            case SHL -> ((res & sb) != 0) != cf();
            case SHR -> (dst & sb) != 0 && src == 1;
            default -> false;
        };
    }

    /**
     * Evaluate condition code {@code cc} (0-15, the low nibble of Jcc/SETcc/CMOVcc opcodes). Fast paths
     * for compares avoid materializing individual flags.
     */
    public boolean cond(int cc) {
        return kind == SUB ? condAfterCompare(cc) : condFromFlags(cc);
    }

    private boolean condAfterCompare(int cc) {
        int sh = 64 - size * 8;
        long d = dst << sh;
        long s = src << sh;
        return switch (cc) {
            case 0x2 -> Long.compareUnsigned(d, s) < 0;     // B
            case 0x3 -> Long.compareUnsigned(d, s) >= 0;    // AE
            case 0x4 -> d == s;                             // E
            case 0x5 -> d != s;                             // NE
            case 0x6 -> Long.compareUnsigned(d, s) <= 0;    // BE
            case 0x7 -> Long.compareUnsigned(d, s) > 0;     // A
            case 0xC -> d < s;                              // L
            case 0xD -> d >= s;                             // GE
            case 0xE -> d <= s;                             // LE
            case 0xF -> d > s;                              // G
            default -> condFromFlags(cc);
        };
    }

    private boolean condFromFlags(int cc) {
        boolean r = switch (cc >> 1) {
            case 0 -> of();
            case 1 -> cf();
            case 2 -> zf();
            case 3 -> cf() || zf();
            case 4 -> sf();
            case 5 -> pf();
            case 6 -> sf() != of();
            default -> zf() || sf() != of();
        };
        return r != ((cc & 1) != 0);
    }

    /** Copy the complete lazy state (for checkpoints or tests). */
    public void copyFrom(LazyFlags o) {
        kind = o.kind;
        size = o.size;
        dst = o.dst;
        src = o.src;
        res = o.res;
        aux = o.aux;
    }

    @Override
    public String toString() {
        int f = get();
        return String.format("[%s%s%s%s%s%s]", (f & OF) != 0 ? "O" : "-", (f & SF) != 0 ? "S" : "-",
                (f & ZF) != 0 ? "Z" : "-", (f & AF) != 0 ? "A" : "-", (f & PF) != 0 ? "P" : "-",
                (f & CF) != 0 ? "C" : "-");
    }
}
