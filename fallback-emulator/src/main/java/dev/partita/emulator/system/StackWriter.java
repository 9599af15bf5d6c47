package dev.partita.emulator.system;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.StackWidth;
import dev.partita.emulator.mmu.Mmu;

/**
 * Pushes a frame onto a stack that is not (yet) the current one: exception delivery and far calls
 * build the new frame first and commit SS/RSP only when every push succeeded, so a fault leaves
 * the architectural registers unchanged. A reusable scratch object of the vCPU thread.
 */
final class StackWriter {
    private final Mmu mmu;
    private long base;
    private long pointer;
    private long mask;
    private long lowLimit;
    private long highLimit;
    private boolean user;
    private boolean flat64;
    private int ssFaultCode;

    StackWriter(Mmu mmu) {
        this.mmu = mmu;
    }

    /** A 64-bit stack: linear = pointer, canonical checks, no limits. */
    void start64(long rsp, boolean userAccess) {
        flat64 = true;
        pointer = rsp;
        user = userAccess;
        ssFaultCode = 0;
    }

    /** A legacy stack: base, pointer width (16/32 bits) and the SS limits. */
    void startLegacy(long ssBase, long sp, int bits, long low, long high, boolean userAccess, int faultCode) {
        flat64 = false;
        base = ssBase;
        mask = StackWidth.mask(bits);
        pointer = sp & mask;
        lowLimit = low;
        highLimit = high;
        user = userAccess;
        ssFaultCode = faultCode;
    }

    void push(long value, int size) {
        if (flat64) {
            pointer -= size;
            if (((pointer << 16) >> 16) != pointer) {
                throw CpuException.ss(ssFaultCode);
            }
            write(pointer, value, size);
        } else {
            pointer = (pointer - size) & mask;
            if (pointer < lowLimit || pointer + size - 1 > highLimit) {
                throw CpuException.ss(ssFaultCode);
            }
            write((base + pointer) & 0xFFFF_FFFFL, value, size);
        }
    }

    private void write(long lin, long value, int size) {
        switch (size) {
            case 2 -> mmu.writeLinearU16(lin, (int) value, user);
            case 4 -> mmu.writeLinearU32(lin, (int) value, user);
            default -> mmu.writeLinearU64(lin, value, user);
        }
    }

    /** The stack pointer after the pushes (masked to the stack width). */
    long pointer() {
        return pointer;
    }
}
