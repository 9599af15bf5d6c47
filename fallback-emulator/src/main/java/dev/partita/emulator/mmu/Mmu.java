package dev.partita.emulator.mmu;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The emulated CPU's memory path: segmentation ({@link #linear}), paging through a
 * {@link PageWalker}, a TLB with a RAM fast path straight to the host {@link MemorySegment}, and the
 * physical layer ({@link PhysicalMemory}: RAM or MMIO).
 *
 * <p>Instruction code calls {@code readU8/U16/U32/U64(seg, offset)} and {@code write…(seg, offset,
 * value)} with a segment register index ({@link SegReg}) and an effective address already reduced
 * to the address size. The privilege used for paging checks is the current CPL (3 = user);
 * {@code readSystem…}/{@code writeSystem…} make implicit supervisor accesses (descriptor tables,
 * TSS). Faults are thrown as {@link CpuException} (#GP/#SS for segmentation, #PF for paging; CR2 is
 * set by the exception delivery, not here).
 *
 * <p>TLB invalidation: {@link #flushAll()} (CR0.PG/WP, CR4 paging bits, EFER.NXE changes),
 * {@link #flushNonGlobal()} (MOV CR3), {@link #invalidatePage(long)} (INVLPG). The system package
 * calls them; instruction code never needs to.
 *
 * <p>Threading: owned by one vCPU thread; not thread-safe. Memory operations are plain
 * (non-atomic) accesses of the given width.
 */
public final class Mmu {

    /** Access kinds. */
    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int EXEC = 2;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final long PAGE = ~0xFFFL;

    private final CpuState cpu;
    private final PhysicalMemory memory;
    private final PageWalker walker;

    private final Tlb readSup = new Tlb();
    private final Tlb readUser = new Tlb();
    private final Tlb writeSup = new Tlb();
    private final Tlb writeUser = new Tlb();
    private final Tlb execSup = new Tlb();
    private final Tlb execUser = new Tlb();
    private final Tlb[] all = {readSup, readUser, writeSup, writeUser, execSup, execUser};

    /** Counters for diagnostics and benchmarks (vCPU thread only). */
    private long walks;
    private int seenObserverEpoch;
    private int seenCodeEpoch;

    public Mmu(CpuState cpu, PhysicalMemory memory) {
        this.cpu = cpu;
        this.memory = memory;
        this.walker = new PageWalker(cpu, memory);
        memory.setCodeMarkedHook(page -> {
            writeSup.flushPhys(page);
            writeUser.flushPhys(page);
        });
    }

    /** The CPU state this MMU translates for. */
    public CpuState cpu() {
        return cpu;
    }

    /** The physical layer. */
    public PhysicalMemory memory() {
        return memory;
    }

    /** The page-table walker (for MAXPHYADDR configuration). */
    public PageWalker walker() {
        return walker;
    }

    /** Number of page walks done so far (TLB misses with paging on). */
    public long walkCount() {
        return walks;
    }

    // ------------------------------------------------------------------ segmentation

    /**
     * Applies segmentation: checks the access against the segment's type and limit (protected
     * mode), or the canonical form (64-bit mode; only FS/GS add a base), and returns the linear
     * address (truncated to 32 bits outside 64-bit mode).
     *
     * @param segIndex {@link SegReg} index
     * @param offset   effective address (already masked to the address size)
     * @param size     access size in bytes (1-16, for the limit check)
     * @param access   {@link #READ} or {@link #WRITE}
     * @throws CpuException #GP(0), or #SS(0) for SS-relative accesses
     */
    public long linear(int segIndex, long offset, int size, int access) {
        if (cpu.longMode64) {
            long lin = segIndex >= SegReg.FS ? cpu.seg[segIndex].base + offset : offset;
            if (((lin << 16) >> 16) != lin) {
                throw segFault(segIndex);
            }
            return lin;
        }
        Segment s = cpu.seg[segIndex];
        if (cpu.protectedMode()) {
            if (access == WRITE ? !s.writable : !s.readable) {
                throw segFault(segIndex);
            }
        }
        if (offset < s.lowLimit || offset + size - 1 > s.highLimit) {
            throw segFault(segIndex);
        }
        return (s.base + offset) & 0xFFFF_FFFFL;
    }

    private static CpuException segFault(int segIndex) {
        return segIndex == SegReg.SS ? CpuException.ss(0) : CpuException.gp(0);
    }

    /**
     * The linear address of the instruction byte at {@code ip} in CS, checked against the CS limit
     * for {@code length} bytes outside 64-bit mode (canonical form inside).
     */
    public long codeLinear(long ip, int length) {
        if (cpu.longMode64) {
            if (((ip << 16) >> 16) != ip) {
                throw CpuException.gp(0);
            }
            return ip;
        }
        Segment cs = cpu.seg[SegReg.CS];
        if (ip + length - 1 > cs.highLimit) {
            throw CpuException.gp(0);
        }
        return (cs.base + ip) & 0xFFFF_FFFFL;
    }

    // ------------------------------------------------------------------ segment-relative accesses

    public int readU8(int seg, long offset) {
        return readLinearU8(linear(seg, offset, 1, READ), cpu.cpl == 3);
    }

    public int readU16(int seg, long offset) {
        return readLinearU16(linear(seg, offset, 2, READ), cpu.cpl == 3);
    }

    public int readU32(int seg, long offset) {
        return readLinearU32(linear(seg, offset, 4, READ), cpu.cpl == 3);
    }

    public long readU64(int seg, long offset) {
        return readLinearU64(linear(seg, offset, 8, READ), cpu.cpl == 3);
    }

    public void writeU8(int seg, long offset, int value) {
        writeLinearU8(linear(seg, offset, 1, WRITE), value, cpu.cpl == 3);
    }

    public void writeU16(int seg, long offset, int value) {
        writeLinearU16(linear(seg, offset, 2, WRITE), value, cpu.cpl == 3);
    }

    public void writeU32(int seg, long offset, int value) {
        writeLinearU32(linear(seg, offset, 4, WRITE), value, cpu.cpl == 3);
    }

    public void writeU64(int seg, long offset, long value) {
        writeLinearU64(linear(seg, offset, 8, WRITE), value, cpu.cpl == 3);
    }

    /**
     * Checks that a write of {@code size} bytes would succeed (segmentation and paging, including
     * setting the dirty bit) without writing; for instructions that must fault before any side
     * effect (e.g. a read-modify-write whose read succeeds but whose write would fault). An
     * access straddling two pages checks the first page, then the second; a fault on the second
     * page reports its first byte as the faulting address (CR2), as the hardware does.
     */
    public void probeWrite(int seg, long offset, int size) {
        long lin = linear(seg, offset, size, WRITE);
        boolean user = cpu.cpl == 3;
        translate(lin, WRITE, user);
        if (((lin & 0xFFF) + size) > 0x1000) {
            long second = (lin + size - 1) & PAGE;
            translate(cpu.longMode64 ? second : second & 0xFFFF_FFFFL, WRITE, user);
        }
    }

    // ------------------------------------------------------------------ linear accesses

    /** Linear read at the current privilege (CPL 3 = user). */
    public int readLinearU8(long lin) {
        return readLinearU8(lin, cpu.cpl == 3);
    }

    public int readLinearU8(long lin, boolean user) {
        Tlb t = user ? readUser : readSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE)) {
            MemorySegment h = t.host[i];
            if (h != null) {
                return h.get(ValueLayout.JAVA_BYTE, lin + t.addend[i]) & 0xFF;
            }
        }
        return (int) readSlow(lin, 1, user);
    }

    public int readLinearU16(long lin, boolean user) {
        Tlb t = user ? readUser : readSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE) && (lin & 0xFFF) <= 0xFFE) {
            MemorySegment h = t.host[i];
            if (h != null) {
                return h.get(U16, lin + t.addend[i]) & 0xFFFF;
            }
        }
        return (int) readSlow(lin, 2, user);
    }

    public int readLinearU32(long lin, boolean user) {
        Tlb t = user ? readUser : readSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE) && (lin & 0xFFF) <= 0xFFC) {
            MemorySegment h = t.host[i];
            if (h != null) {
                return h.get(U32, lin + t.addend[i]);
            }
        }
        return (int) readSlow(lin, 4, user);
    }

    public long readLinearU64(long lin, boolean user) {
        Tlb t = user ? readUser : readSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE) && (lin & 0xFFF) <= 0xFF8) {
            MemorySegment h = t.host[i];
            if (h != null) {
                return h.get(U64, lin + t.addend[i]);
            }
        }
        return readSlow(lin, 8, user);
    }

    public void writeLinearU8(long lin, int value, boolean user) {
        Tlb t = user ? writeUser : writeSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE)) {
            MemorySegment h = t.host[i];
            if (h != null) {
                h.set(ValueLayout.JAVA_BYTE, lin + t.addend[i], (byte) value);
                return;
            }
        }
        writeSlow(lin, 1, value, user);
    }

    public void writeLinearU16(long lin, int value, boolean user) {
        Tlb t = user ? writeUser : writeSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE) && (lin & 0xFFF) <= 0xFFE) {
            MemorySegment h = t.host[i];
            if (h != null) {
                h.set(U16, lin + t.addend[i], (short) value);
                return;
            }
        }
        writeSlow(lin, 2, value, user);
    }

    public void writeLinearU32(long lin, int value, boolean user) {
        Tlb t = user ? writeUser : writeSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE) && (lin & 0xFFF) <= 0xFFC) {
            MemorySegment h = t.host[i];
            if (h != null) {
                h.set(U32, lin + t.addend[i], value);
                return;
            }
        }
        writeSlow(lin, 4, value & 0xFFFF_FFFFL, user);
    }

    public void writeLinearU64(long lin, long value, boolean user) {
        Tlb t = user ? writeUser : writeSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE) && (lin & 0xFFF) <= 0xFF8) {
            MemorySegment h = t.host[i];
            if (h != null) {
                h.set(U64, lin + t.addend[i], value);
                return;
            }
        }
        writeSlow(lin, 8, value, user);
    }

    /** Implicit supervisor reads (descriptor tables, TSS, IDT), regardless of CPL. */
    public int readSystemU16(long lin) {
        return readLinearU16(lin, false);
    }

    public int readSystemU32(long lin) {
        return readLinearU32(lin, false);
    }

    /** Implicit supervisor write (descriptor accessed/busy bits). */
    public void writeSystemU32(long lin, int value) {
        writeLinearU32(lin, value, false);
    }

    // ------------------------------------------------------------------ code fetch

    /**
     * Translates a code linear address for execution at the current CPL and returns the physical
     * address (for the decoded-instruction cache, keyed by physical page).
     *
     * @throws CpuException #PF with the instruction-fetch bit
     */
    public long translateCode(long lin) {
        boolean user = cpu.cpl == 3;
        Tlb t = user ? execUser : execSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE)) {
            return t.phys[i] | (lin & 0xFFF);
        }
        return translate(lin, EXEC, user);
    }

    /** Fetches one instruction byte at a linear address (execute permission). */
    public int fetchU8(long lin) {
        boolean user = cpu.cpl == 3;
        Tlb t = user ? execUser : execSup;
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE)) {
            MemorySegment h = t.host[i];
            if (h != null) {
                return h.get(ValueLayout.JAVA_BYTE, lin + t.addend[i]) & 0xFF;
            }
            return (int) memory.read(t.phys[i] | (lin & 0xFFF), 1);
        }
        long phys = translate(lin, EXEC, user);
        return (int) memory.read(phys, 1);
    }

    /**
     * Translates {@code lin} for an access (filling the TLB) and returns the physical address.
     * With paging off the linear address is the physical address.
     *
     * @throws CpuException #PF
     */
    public long translate(long lin, int access, boolean user) {
        Tlb t = tlb(access, user);
        int i = Tlb.index(lin);
        if (t.tag[i] == (lin & PAGE)) {
            return t.phys[i] | (lin & 0xFFF);
        }
        long page = lin & PAGE;
        long physPage;
        long mask;
        boolean global;
        if (cpu.pagingEnabled()) {
            walks++;
            physPage = walker.walk(lin, access, user);
            mask = walker.pageMask;
            global = walker.global;
        } else {
            physPage = page & 0xFFFF_FFFFL;
            page = physPage;
            mask = PAGE;
            global = false;
        }
        if (access != WRITE || !(memory.isCode(physPage) || memory.observingWrites())) {
            int r = memory.regionOf(physPage);
            if (r >= 0 && !(access == WRITE && memory.regionReadOnly(r))) {
                t.fill(page, memory.regionSegment(r), physPage - memory.regionStart(r) - page, physPage, mask, global);
            } else {
                t.fill(page, null, physPage - page, physPage, mask, global);
            }
        }
        return physPage | (lin & 0xFFF);
    }

    private Tlb tlb(int access, boolean user) {
        return switch (access) {
            case READ -> user ? readUser : readSup;
            case WRITE -> user ? writeUser : writeSup;
            default -> user ? execUser : execSup;
        };
    }

    private long readSlow(long lin, int size, boolean user) {
        if ((lin & 0xFFF) + size > 0x1000) {
            long v = 0;
            for (int b = 0; b < size; b++) {
                v |= (readSlow(lin + b, 1, user) & 0xFF) << (8 * b);
            }
            return v;
        }
        return memory.read(translate(lin, READ, user), size);
    }

    private void writeSlow(long lin, int size, long value, boolean user) {
        if ((lin & 0xFFF) + size > 0x1000) {
            // Translate both pages before writing anything, so a fault leaves memory unchanged.
            long first = translate(lin, WRITE, user);
            long secondLin = (lin + size - 1) & PAGE; // CR2 of a fault there: the page's first byte
            long second = translate(secondLin, WRITE, user);
            for (int b = 0; b < size; b++) {
                long a = lin + b;
                long p = (a & PAGE) == (lin & PAGE) ? first + b : second + (a - secondLin);
                memory.write(p, 1, value >>> (8 * b));
            }
            return;
        }
        memory.write(translate(lin, WRITE, user), size, value);
    }

    // ------------------------------------------------------------------ invalidation

    /** Drops every translation (CR0.PG/WP, CR4 paging-bit and EFER.NXE changes, mode switches). */
    public void flushAll() {
        for (Tlb t : all) {
            t.flushAll();
        }
    }

    /** Drops every non-global translation (MOV CR3). */
    public void flushNonGlobal() {
        for (Tlb t : all) {
            t.flushNonGlobal();
        }
    }

    /**
     * Catches up with other threads, between instruction slices on the vCPU thread: drops the write
     * translations when the write observer changed (dirty logging switched on) or another vCPU
     * marked a page as code (writes to it must take the slow path), and passes on code
     * invalidations from other vCPUs' writes.
     */
    public void syncSharedState() {
        int epoch = memory.writeObserverEpoch();
        int codeEpoch = memory.codePages().markEpoch();
        if (epoch != seenObserverEpoch || codeEpoch != seenCodeEpoch) {
            seenObserverEpoch = epoch;
            seenCodeEpoch = codeEpoch;
            writeSup.flushAll();
            writeUser.flushAll();
        }
        memory.drainCodeInvalidations();
    }

    /** INVLPG: drops the translations covering {@code linear}, global ones included. */
    public void invalidatePage(long linear) {
        for (Tlb t : all) {
            t.flushPage(linear);
        }
    }
}
