package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrFault;
import dev.partita.hv.msr.MsrHandler;

import java.lang.invoke.VarHandle;

/**
 * The REFERENCE_TSC MSR and the page it points to (HV_REFERENCE_TSC_PAGE): sequence u32 @0,
 * reserved u32 @4, scale u64 @8, offset s64 @16, the rest of the 4 KiB page reserved (zero). The
 * guest computes the reference time as {@code ((tsc * scale) >> 64) + offset} after checking that
 * the sequence is non-zero and unchanged around its reads; a sequence of 0 sends it to
 * TIME_REF_COUNT.
 *
 * <p>Enabling the MSR (bit 0, page GPA in bits 12-63) writes the page from the
 * {@link ReferenceClock}; {@link #refresh()} rewrites it after a restore, when the clock's offset
 * changed: sequence 0 first, then scale and offset, then the next sequence number, so a guest
 * reading concurrently retries. A page outside RAM is refused with #GP. Partition-wide.
 *
 * <p><b>Threads.</b> MSR accesses come from any processor's thread; every method holds this
 * object's monitor.
 */
final class ReferenceTscPage implements MsrHandler {
    static final int OFFSET_SEQUENCE = 0;
    static final int OFFSET_SCALE = 8;
    static final int OFFSET_OFFSET = 16;
    /** The last valid sequence number before wrapping to 1 (0 means "invalid, use the MSR"). */
    private static final long LAST_SEQUENCE = 0xFFFF_FFFEL;

    private final GuestMemory memory;
    private final ReferenceClock clock;
    private long msr;
    private long sequence;

    ReferenceTscPage(GuestMemory memory, ReferenceClock clock) {
        if (!clock.tscBased()) {
            throw new IllegalArgumentException("the reference TSC page needs a TSC-based reference clock");
        }
        this.memory = memory;
        this.clock = clock;
    }

    @Override
    public boolean claims(int index) {
        return index == HvMsr.REFERENCE_TSC;
    }

    @Override
    public synchronized long read(int vpIndex, int index) {
        return msr;
    }

    @Override
    public synchronized void write(int vpIndex, int index, long value) throws MsrFault {
        long v = value & (HvMsr.PAGE_MASK | HvMsr.ENABLE);
        if ((v & HvMsr.ENABLE) != 0 && !memory.isRam(v & HvMsr.PAGE_MASK, GuestMemory.PAGE_SIZE)) {
            throw new MsrFault("REFERENCE_TSC page 0x" + Long.toHexString(v & HvMsr.PAGE_MASK) + " is not guest RAM");
        }
        msr = v;
        refresh();
    }

    /** Rewrites the page from the clock, if enabled. */
    synchronized void refresh() {
        if ((msr & HvMsr.ENABLE) == 0) {
            return;
        }
        long gpa = msr & HvMsr.PAGE_MASK;
        memory.writeU32(gpa + OFFSET_SEQUENCE, 0);
        VarHandle.fullFence();
        memory.fill(gpa + 4, GuestMemory.PAGE_SIZE - 4, (byte) 0);
        memory.writeU64(gpa + OFFSET_SCALE, clock.tscScale());
        memory.writeU64(gpa + OFFSET_OFFSET, clock.tscOffset());
        sequence = sequence >= LAST_SEQUENCE ? 1 : sequence + 1;
        VarHandle.releaseFence();
        memory.writeU32(gpa + OFFSET_SEQUENCE, sequence);
    }

    synchronized long msr() {
        return msr;
    }

    /** Restores the MSR value (the page itself is rewritten by {@link #refresh()}; a bad GPA just disables it). */
    synchronized void restore(long value) {
        long v = value & (HvMsr.PAGE_MASK | HvMsr.ENABLE);
        if ((v & HvMsr.ENABLE) != 0 && !memory.isRam(v & HvMsr.PAGE_MASK, GuestMemory.PAGE_SIZE)) {
            throw new IllegalArgumentException("saved REFERENCE_TSC page 0x" + Long.toHexString(v & HvMsr.PAGE_MASK) + " is not guest RAM");
        }
        msr = v;
    }
}
