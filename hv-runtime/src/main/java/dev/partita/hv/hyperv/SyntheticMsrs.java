package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrFault;
import dev.partita.hv.msr.MsrHandler;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The Hyper-V synthetic MSRs of one partition, as an {@link MsrHandler} in the partition's chain.
 * Partition-wide: GUEST_OS_ID, HYPERCALL (and the hypercall page it fills), TIME_REF_COUNT,
 * TSC_INVARIANT_CONTROL. Per processor: VP_INDEX, VP_ASSIST_PAGE and the SynIC registers
 * (delegated to {@link SynIc}). Other indices of 0x40000000-0x400001FF are not claimed, so they
 * raise #GP as on Hyper-V when a feature is not offered.
 *
 * <p><b>Threads.</b> Called on the accessing processor's thread, concurrently from several. The
 * partition-wide registers are updated under this object's monitor; per-processor values live in
 * atomic arrays or the SynIC's per-processor locks.
 */
final class SyntheticMsrs implements MsrHandler {
    private static final System.Logger LOG = System.getLogger(SyntheticMsrs.class.getName());

    private final GuestMemory memory;
    private final SynIc synic;
    private final HypercallPage pageCode;
    private final ReferenceClock clock;
    private final AtomicLongArray vpAssistPage;
    private long guestOsId;
    private long hypercall;
    private long tscInvariantControl;

    SyntheticMsrs(GuestMemory memory, SynIc synic, HypercallPage pageCode, ReferenceClock clock) {
        this.memory = memory;
        this.synic = synic;
        this.pageCode = pageCode;
        this.clock = clock;
        this.vpAssistPage = new AtomicLongArray(synic.processorCount());
    }

    @Override
    public boolean claims(int index) {
        return switch (index) {
            case HvMsr.GUEST_OS_ID, HvMsr.HYPERCALL, HvMsr.VP_INDEX, HvMsr.TIME_REF_COUNT, HvMsr.VP_ASSIST_PAGE,
                 HvMsr.TSC_INVARIANT_CONTROL -> true;
            default -> SynIc.isSynicMsr(index);
        };
    }

    @Override
    public long read(int vpIndex, int index) throws MsrFault {
        checkVp(vpIndex);
        return switch (index) {
            case HvMsr.GUEST_OS_ID -> guestOsId();
            case HvMsr.HYPERCALL -> hypercall();
            case HvMsr.VP_INDEX -> vpIndex;
            case HvMsr.TIME_REF_COUNT -> clock.now();
            case HvMsr.VP_ASSIST_PAGE -> vpAssistPage.get(vpIndex);
            case HvMsr.TSC_INVARIANT_CONTROL -> tscInvariantControl();
            default -> synic.readMsr(vpIndex, index);
        };
    }

    @Override
    public void write(int vpIndex, int index, long value) throws MsrFault {
        checkVp(vpIndex);
        switch (index) {
            case HvMsr.GUEST_OS_ID -> writeGuestOsId(value);
            case HvMsr.HYPERCALL -> writeHypercall(value);
            case HvMsr.VP_INDEX -> throw new MsrFault("VP_INDEX is read-only");
            case HvMsr.TIME_REF_COUNT -> throw new MsrFault("TIME_REF_COUNT is read-only");
            case HvMsr.VP_ASSIST_PAGE -> vpAssistPage.set(vpIndex, value & (HvMsr.PAGE_MASK | HvMsr.ENABLE));
            case HvMsr.TSC_INVARIANT_CONTROL -> writeTscInvariantControl(value);
            default -> synic.writeMsr(vpIndex, index, value);
        }
    }

    private void checkVp(int vpIndex) throws MsrFault {
        if (vpIndex < 0 || vpIndex >= synic.processorCount()) {
            throw new MsrFault("synthetic MSR access from unknown vCPU " + vpIndex);
        }
    }

    synchronized long guestOsId() {
        return guestOsId;
    }

    synchronized long hypercall() {
        return hypercall;
    }

    synchronized long tscInvariantControl() {
        return tscInvariantControl;
    }

    private synchronized void writeTscInvariantControl(long value) throws MsrFault {
        if ((value & ~1L) != 0) {
            throw new MsrFault("TSC_INVARIANT_CONTROL: reserved bits in 0x" + Long.toHexString(value));
        }
        tscInvariantControl = value;
    }

    /** Writing 0 also disables the hypercall page (TLFS: no hypercalls without a guest OS id). */
    private synchronized void writeGuestOsId(long value) {
        guestOsId = value;
        if (value == 0) {
            hypercall &= ~HvMsr.ENABLE;
        }
    }

    /**
     * Stores HYPERCALL; when enabled (and the guest OS id is set) fills the page with
     * {@link HypercallPage}. A page outside RAM is refused with #GP; writes after the lock bit are
     * ignored until reset.
     */
    private synchronized void writeHypercall(long value) throws MsrFault {
        if ((hypercall & HvMsr.HYPERCALL_LOCKED) != 0) {
            LOG.log(System.Logger.Level.DEBUG, "HYPERCALL MSR is locked: write of 0x" + Long.toHexString(value) + " ignored");
            return;
        }
        long v = value & (HvMsr.PAGE_MASK | HvMsr.HYPERCALL_LOCKED | HvMsr.ENABLE);
        if ((v & HvMsr.ENABLE) != 0) {
            if (guestOsId == 0) {
                v &= ~HvMsr.ENABLE;
            } else {
                long gpa = v & HvMsr.PAGE_MASK;
                if (!memory.isRam(gpa, HypercallPage.PAGE_SIZE)) {
                    throw new MsrFault("HYPERCALL page 0x" + Long.toHexString(gpa) + " is not guest RAM");
                }
                memory.write(gpa, pageCode.page());
            }
        }
        hypercall = v;
    }

    // ---------------------------------------------------------------- saved state

    /**
     * Checks that the partition-wide values could have been left by MSR writes: HYPERCALL without
     * masked-off bits and, when enabled, with its page in guest RAM; TSC_INVARIANT_CONTROL 0 or 1;
     * VP_ASSIST_PAGE values without masked-off bits.
     *
     * @throws IllegalArgumentException naming the first value that could not have been written
     */
    void checkRestorable(long hypercall, long tscInvariantControl, long[] vpAssist) {
        if ((hypercall & ~(HvMsr.PAGE_MASK | HvMsr.HYPERCALL_LOCKED | HvMsr.ENABLE)) != 0
                || (hypercall & HvMsr.ENABLE) != 0 && !memory.isRam(hypercall & HvMsr.PAGE_MASK, HypercallPage.PAGE_SIZE)) {
            throw new IllegalArgumentException("HYPERCALL 0x" + Long.toHexString(hypercall) + " has reserved bits or a page outside guest RAM");
        }
        if ((tscInvariantControl & ~1L) != 0) {
            throw new IllegalArgumentException("TSC_INVARIANT_CONTROL 0x" + Long.toHexString(tscInvariantControl) + " has reserved bits");
        }
        for (int vp = 0; vp < vpAssist.length; vp++) {
            if ((vpAssist[vp] & ~(HvMsr.PAGE_MASK | HvMsr.ENABLE)) != 0) {
                throw new IllegalArgumentException("vCPU " + vp + " VP_ASSIST_PAGE 0x" + Long.toHexString(vpAssist[vp]) + " has reserved bits");
            }
        }
    }

    /** Replaces the partition-wide values; the caller checked them with {@link #checkRestorable}. */
    synchronized void restore(long guestOsId, long hypercall, long tscInvariantControl, long[] vpAssist) {
        this.guestOsId = guestOsId;
        this.hypercall = hypercall;
        this.tscInvariantControl = tscInvariantControl;
        for (int i = 0; i < vpAssist.length; i++) {
            vpAssistPage.set(i, vpAssist[i]);
        }
    }

    long vpAssistPage(int vp) {
        return vpAssistPage.get(vp);
    }
}
