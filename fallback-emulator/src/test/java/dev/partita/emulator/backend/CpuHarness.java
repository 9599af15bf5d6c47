package dev.partita.emulator.backend;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.SysOp;
import dev.partita.emulator.exec.Interpreter;
import dev.partita.emulator.exec.SystemInterface;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.emulator.mmu.PhysicalMemory;
import dev.partita.emulator.system.DirectInterruptQueue;
import dev.partita.emulator.system.SystemInstructions;
import dev.partita.emulator.system.SystemUnit;
import dev.partita.emulator.system.TscClock;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One emulated CPU, for differential and unit tests: in 64-bit mode at CPL 3
 * over a RAM image, with identity-mapped 4-level paging (4 KiB pages, user, writable, executable)
 * and Linux's flat selectors (CS 0x33, SS/DS/ES 0x2B, FS/GS null), RFLAGS 0x202. The page tables,
 * GDT and TSS live in the last {@link #reservedBytes()} of RAM; as in a Linux process, their
 * identity addresses are not mapped (a user access there is a not-present #PF) and the GDT/TSS page
 * is mapped supervisor-only in the upper half, at {@link #SYSTEM_PAGE}. Exceptions are NOT delivered: {@link #run}
 * stops at the first one and reports its vector, error code and fault address with RIP where the
 * exception's delivery would save it: at the faulting instruction for faults, after the instruction
 * for INT3, INT1 (ICEBP), INTO and INT n, which the SDM makes traps (they are reported as their own
 * vector, without the gate checks a delivery would make). No I/O is possible (IN/OUT fault with #GP
 * at CPL 3 by IOPL 0).
 *
 * <p>Not thread-safe; owns its RAM (freed by {@link #close()}).
 */
public final class CpuHarness implements AutoCloseable {

    /** The outcome of {@link #run}. vector is -1 when no exception happened. */
    public record Result(long retired, int vector, int errorCode, long faultAddress) {
        /** Whether the run stopped on an exception. */
        public boolean faulted() {
            return vector >= 0;
        }
    }

    public static final int USER_CS = 0x33;
    public static final int USER_DS = 0x2B;
    public static final int KERNEL_CS = 0x10;
    public static final int KERNEL_DS = 0x18;
    /** Linear address of the GDT/TSS page: the top 2 MiB of the address space, supervisor-only. */
    public static final long SYSTEM_PAGE = 0xFFFF_FFFF_FFE0_0000L;

    private static final long P = 1;
    private static final long RW = 2;
    private static final long US = 4;
    private static final long NX = 1L << 63;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment ram;
    private final long ramBytes;
    private final long tablesBase;
    private final long ptBase;
    private final CpuState cpu = new CpuState();
    private final PhysicalMemory memory = new PhysicalMemory();
    private final Mmu mmu;
    private final SystemUnit unit;
    private final Interpreter interpreter;
    private CpuException fault;

    private CpuHarness(long ramBytes) {
        if (ramBytes < (1 << 20) || ramBytes > (1L << 30) || (ramBytes & 0x1F_FFFF) != 0) {
            throw new IllegalArgumentException("harness RAM must be a multiple of 2 MiB between 1 MiB and 1 GiB: " + ramBytes);
        }
        this.ramBytes = ramBytes;
        this.ram = arena.allocate(ramBytes, 4096);
        memory.addRam(0, ram, false);
        this.mmu = new Mmu(cpu, memory);
        this.unit = new SystemUnit(cpu, mmu, new TscClock(TscClock.DEFAULT_HZ), new DirectInterruptQueue());
        this.interpreter = new Interpreter(cpu, mmu, new RecordingSystem(new SystemInstructions(unit)));
        long ptPages = ramBytes >>> 21;
        long reserved = (3 + ptPages + 3 + 1) * 4096; // identity tables, upper-half tables, GDT/TSS page
        this.tablesBase = ramBytes - reserved;
        this.ptBase = tablesBase + 3 * 4096;
        buildTables();
        enterUserMode();
    }

    /** The system binding with exception delivery replaced by recording (the interpreter then ends its slice). */
    private final class RecordingSystem implements SystemInterface {
        private final SystemInstructions inner;

        RecordingSystem(SystemInstructions inner) {
            this.inner = inner;
        }

        @Override
        public void deliverException(CpuException e) {
            fault = e;
        }

        @Override
        public boolean execute(DecodedInsn d, long nextRip) {
            switch (d.sub) {
                case SysOp.INT3 -> throw trap(3, nextRip);
                case SysOp.INT -> throw trap((int) d.imm & 0xFF, nextRip);
                case SysOp.INT1 -> throw trap(1, nextRip);
                case SysOp.INTO -> {
                    if (cpu.flags.of()) {
                        throw trap(4, nextRip);
                    }
                    cpu.rip = nextRip;
                    return true;
                }
                default -> {
                    return inner.execute(d, nextRip);
                }
            }
        }

        /** A trap: the instruction has completed, so RIP moves past it before the vector is reported. */
        private CpuException trap(int vector, long nextRip) {
            cpu.rip = nextRip;
            return CpuException.of(vector);
        }

        @Override
        public void farTransfer(boolean call, int selector, long offset, int opSize, long nextRip) {
            inner.farTransfer(call, selector, offset, opSize, nextRip);
        }

        @Override
        public void loadSegment(int segIndex, int selector) {
            inner.loadSegment(segIndex, selector);
        }

        @Override
        public long in(int port, int size) {
            return inner.in(port, size);
        }

        @Override
        public void out(int port, int size, long value) {
            inner.out(port, size, value);
        }

        @Override
        public void checkIoPermission(int port, int size) {
            inner.checkIoPermission(port, size);
        }

        @Override
        public void stringElementDone() {
            inner.stringElementDone();
        }

        @Override
        public void writeSystem(int sysOp, int reg, long value, int seg, long offset, DecodedInsn d) {
            inner.writeSystem(sysOp, reg, value, seg, offset, d);
        }

        @Override
        public long readSystem(int sysOp, int reg, long value, int seg, long offset, DecodedInsn d) {
            return inner.readSystem(sysOp, reg, value, seg, offset, d);
        }

        @Override
        public void afterFlagsChange() {
            inner.afterFlagsChange();
        }
    }

    /** A harness with {@code ramBytes} of RAM (a multiple of 2 MiB, at most 1 GiB). */
    public static CpuHarness long64User(long ramBytes) {
        return new CpuHarness(ramBytes);
    }

    /** Bytes at the top of RAM used by page tables and the GDT (not usable by test code). */
    public long reservedBytes() {
        return ramBytes - tablesBase;
    }

    private void buildTables() {
        ram.asSlice(tablesBase, ramBytes - tablesBase).fill((byte) 0);
        long pml4 = tablesBase;
        long pdpt = tablesBase + 4096;
        long pd = tablesBase + 2 * 4096;
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pml4, pdpt | P | RW | US);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pdpt, pd | P | RW | US);
        for (long i = 0; i < (ramBytes >>> 21); i++) {
            long pt = ptBase + i * 4096;
            ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pd + i * 8, pt | P | RW | US);
            for (long j = 0; j < 512; j++) {
                long page = (i << 21) | (j << 12);
                long entry = page >= tablesBase ? 0 : page | P | RW | US;
                ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pt + j * 8, entry);
            }
        }
        long gdt = ramBytes - 4096;
        long pdptHigh = gdt - 3 * 4096;
        long pdHigh = gdt - 2 * 4096;
        long ptHigh = gdt - 4096;
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pml4 + 8 * 511, pdptHigh | P | RW);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pdptHigh + 8 * 511, pdHigh | P | RW);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pdHigh + 8 * 511, ptHigh | P | RW);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, ptHigh, gdt | P | RW | NX);
        long[] entries = {0,
            0,
            0x00AF_9B00_0000_FFFFL, // 0x10 kernel code 64
            0x00CF_9300_0000_FFFFL, // 0x18 kernel data
            0x00CF_FB00_0000_FFFFL, // 0x23 user code 32
            0x00CF_F300_0000_FFFFL, // 0x2B user data
            0x00AF_FB00_0000_FFFFL, // 0x33 user code 64
        };
        for (int i = 0; i < entries.length; i++) {
            ram.set(ValueLayout.JAVA_LONG_UNALIGNED, gdt + 8L * i, entries[i]);
        }
        cpu.gdtrBase = SYSTEM_PAGE;
        cpu.gdtrLimit = entries.length * 8 - 1;
        cpu.idtrBase = 0;
        cpu.idtrLimit = 0;
        // A 64-bit TSS without an I/O bitmap (map base beyond the limit): IN/OUT at CPL 3 fault.
        long tss = ramBytes - 2048;
        ram.set(ValueLayout.JAVA_SHORT_UNALIGNED, tss + 0x66, (short) 0x68);
        cpu.seg[SegReg.TR].load(0x40, SYSTEM_PAGE + 2048, 0x67, Segment.ATTR_P | 0xB);
        cpu.cr3 = pml4;
    }

    private void enterUserMode() {
        cpu.cr0 = Cr0.PE | Cr0.PG | Cr0.ET | Cr0.NE | Cr0.WP | Cr0.MP;
        cpu.cr4 = Cr4.PAE | Cr4.PGE | Cr4.OSFXSR | Cr4.OSXMMEXCPT;
        cpu.efer = Efer.LME | Efer.LMA | Efer.NXE | Efer.SCE;
        cpu.seg[SegReg.CS].load(USER_CS, 0, 0xFFFF_FFFFL, Segment.flatAttributes(true, 3, false, true));
        int data = Segment.flatAttributes(false, 3, true, false);
        cpu.seg[SegReg.SS].load(USER_DS, 0, 0xFFFF_FFFFL, data);
        cpu.seg[SegReg.DS].load(USER_DS, 0, 0xFFFF_FFFFL, data);
        cpu.seg[SegReg.ES].load(USER_DS, 0, 0xFFFF_FFFFL, data);
        cpu.seg[SegReg.FS].load(0, 0, 0, Segment.ATTR_UNUSABLE);
        cpu.seg[SegReg.GS].load(0, 0, 0, Segment.ATTR_UNUSABLE);
        cpu.cpl = 3;
        cpu.setRflags(RFlags.FIXED1 | RFlags.IF);
        cpu.updateMode();
        mmu.flushAll();
    }

    /** The CPU state (set registers before {@link #run}, read them after). */
    public CpuState cpu() {
        return cpu;
    }

    /** Guest RAM (physical = linear). */
    public MemorySegment ram() {
        return ram;
    }

    /** The MMU (for reading memory back through paging). */
    public Mmu mmu() {
        return mmu;
    }

    /**
     * Changes the mapping of the 4 KiB page at {@code linear} (below the reserved area):
     * present, writable, user and executable bits. The TLB entry is invalidated.
     */
    public void setPage(long linear, boolean present, boolean writable, boolean user, boolean executable) {
        if (linear < 0 || linear >= tablesBase) {
            throw new IllegalArgumentException("setPage: " + Long.toHexString(linear) + " outside the test area");
        }
        long page = linear & ~0xFFFL;
        long pte = ptBase + (page >>> 12) * 8;
        long v = page | (present ? P : 0) | (writable ? RW : 0) | (user ? US : 0) | (executable ? 0 : NX);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pte, v);
        mmu.invalidatePage(page);
    }

    /** Copies {@code code} to {@code address} and clears the decoded-code marks (fresh code). */
    public void load(long address, byte[] code) {
        if (address < 0 || address + code.length > tablesBase) {
            throw new IllegalArgumentException("load: [" + Long.toHexString(address) + ", +" + code.length + ") outside the test area");
        }
        MemorySegment.copy(code, 0, ram, ValueLayout.JAVA_BYTE, address, code.length);
        for (long p = address & ~0xFFFL; p < address + code.length; p += 4096) {
            if (memory.isCode(p)) {
                memory.write(p, 1, ram.get(ValueLayout.JAVA_BYTE, p)); // reports the page as written
            }
        }
    }

    /**
     * Runs at most {@code maxInstructions} instructions, stopping early at the first exception
     * (not delivered). Returns how many instructions retired and the exception, if any.
     */
    public Result run(long maxInstructions) {
        fault = null;
        long retired = 0;
        while (retired < maxInstructions && fault == null) {
            long n = interpreter.run(maxInstructions - retired);
            retired += n;
            if (n == 0 && fault == null) {
                break;
            }
        }
        CpuException f = fault;
        if (f == null) {
            return new Result(retired, -1, 0, 0);
        }
        return new Result(retired, f.vector(), f.hasErrorCode() ? f.errorCode() : 0, f.faultAddress());
    }

    /** The interpreter (for benchmarks). */
    public Interpreter interpreter() {
        return interpreter;
    }

    /** The system unit. */
    public SystemUnit unit() {
        return unit;
    }

    @Override
    public void close() {
        arena.close();
    }
}
