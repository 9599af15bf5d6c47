package dev.partita.emulator.exec;

import dev.partita.emulator.mmu.Mmu;
import dev.partita.emulator.mmu.PhysicalMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Atomic read-modify-write of guest RAM for LOCKed instructions and XCHG with memory, so that
 * several vCPU threads sharing RAM see x86 locked semantics. {@link #locate} translates the operand
 * (segmentation, paging with write intent, dirty bit) and succeeds when it is naturally aligned RAM
 * that holds no decoded code; byte and word operands are updated through a CAS on their aligned
 * dword. Otherwise callers fall back to a plain read and write (MMIO, split locks, code pages).
 *
 * <p>Memory ordering: the CAS operations are volatile (sequentially consistent), matching the full
 * fence of a locked x86 instruction. One instance per interpreter (vCPU thread).
 */
final class AtomicRam {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** The located operand; valid until the next {@link #locate}. */
    final class Cell {
        private MemorySegment segment;
        private long offset;
        private int size;
        /** For byte/word operands: the aligned dword offset and the bit shift inside it. */
        private long wordOffset;
        private int shift;

        private long mask() {
            return size == 8 ? -1L : (1L << (size * 8)) - 1;
        }

        long get() {
            if (size == 8) {
                return (long) LONG.getVolatile(segment, offset);
            }
            int w = (int) INT.getVolatile(segment, size == 4 ? offset : wordOffset);
            return size == 4 ? w & 0xFFFF_FFFFL : (w >>> shift) & mask();
        }

        /** CAS of the operand; values are taken at the operand width. */
        boolean compareAndSet(long expected, long value) {
            long m = mask();
            if (size == 8) {
                return LONG.compareAndSet(segment, offset, expected, value);
            }
            if (size == 4) {
                return INT.compareAndSet(segment, offset, (int) expected, (int) value);
            }
            int w = (int) INT.getVolatile(segment, wordOffset);
            if (((w >>> shift) & m) != (expected & m)) {
                return false;
            }
            int nw = (int) ((w & ~(m << shift)) | ((value & m) << shift));
            return INT.compareAndSet(segment, wordOffset, w, nw);
        }

        /** Compare-and-exchange: returns the value found (masked to the width). */
        long compareAndExchange(long expected, long value) {
            long m = mask();
            for (;;) {
                long cur = get();
                if ((cur & m) != (expected & m)) {
                    return cur;
                }
                if (compareAndSet(cur, value)) {
                    return cur;
                }
            }
        }

        long getAndSet(long value) {
            for (;;) {
                long cur = get();
                if (compareAndSet(cur, value)) {
                    return cur;
                }
            }
        }

        long getAndAdd(long delta) {
            for (;;) {
                long cur = get();
                if (compareAndSet(cur, cur + delta)) {
                    return cur;
                }
            }
        }
    }

    private final Cell cell = new Cell();

    /**
     * Finds the RAM backing a {@code size}-byte operand at {@code seg:ea} for an atomic update, or
     * returns null when a plain access must be used. Faults (#GP, #SS, #PF) are thrown as for a write.
     */
    static Cell locate(OperandAccess in, int seg, long ea, int size) {
        return in.atomicRam().find(in.mmu, seg, ea, size);
    }

    private Cell find(Mmu mmu, int seg, long ea, int size) {
        long lin = mmu.linear(seg, ea, size, Mmu.WRITE);
        if ((lin & (size - 1)) != 0) {
            return null; // split or misaligned lock: plain access
        }
        long phys = mmu.translate(lin, Mmu.WRITE, mmu.cpu().cpl == 3);
        PhysicalMemory pm = mmu.memory();
        int region = pm.regionOf(phys);
        if (region < 0 || pm.regionReadOnly(region) || pm.isCode(phys)) {
            return null;
        }
        MemorySegment s = pm.regionSegment(region);
        if (!s.isNative()) {
            return null;
        }
        long off = phys - pm.regionStart(region);
        if (off + size > s.byteSize() || (s.address() + off) % size != 0) {
            return null;
        }
        cell.segment = s;
        cell.offset = off;
        cell.size = size;
        cell.wordOffset = off & ~3L;
        cell.shift = (int) (off & 3) * 8;
        if (size == 2 && (off & 3) == 3) {
            return null;
        }
        return cell;
    }
}
