package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.mmu.Mmu;

/**
 * Operand access for the instruction families: general registers at an operand size (with the
 * high-byte registers AH..BH and the 32-bit write that clears the upper half), the effective address
 * of a decoded memory operand, and memory reads and writes through the {@link Mmu} at a size. Also
 * carries {@link #nextRip}, which RIP-relative addresses and branches are computed from.
 *
 * <p>Owned by the vCPU thread; one per {@link Interpreter}.
 */
final class OperandAccess {
    final CpuState cpu;
    final long[] gpr;
    final LazyFlags flags;
    final Mmu mmu;
    private final AtomicRam atomicRam = new AtomicRam();

    /** Offset (in CS) of the instruction after the one executing. */
    long nextRip;

    OperandAccess(CpuState cpu, Mmu mmu) {
        this.cpu = cpu;
        this.gpr = cpu.gpr;
        this.flags = cpu.flags;
        this.mmu = mmu;
    }

    AtomicRam atomicRam() {
        return atomicRam;
    }

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

}
