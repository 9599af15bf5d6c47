package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrFault;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * TIME_REF_COUNT and the reference TSC page computed from the guest TSC: the page gives what the MSR
 * reads at every TSC value, it is rewritten with a new sequence after a restore, and the time continues
 * across restore onto a TSC that restarted elsewhere (migration).
 */
class ReferenceTimeTest {
    private static final long PAGE = 0x7000;

    /** What the guest computes from the page at TSC {@code tsc} (Linux: mul_u64_u64_shr(tsc, scale, 64) + offset). */
    private static long guestReads(GuestMemory m, long tsc) {
        assertNotEquals(0, m.readU32(PAGE + ReferenceTscPage.OFFSET_SEQUENCE), "sequence valid");
        return Math.unsignedMultiplyHigh(tsc, m.readU64(PAGE + ReferenceTscPage.OFFSET_SCALE)) + m.readU64(PAGE + ReferenceTscPage.OFFSET_OFFSET);
    }

    @Test
    void pageAgreesWithTimeRefCountAtEveryTsc() throws Exception {
        ManualTime time = new ManualTime();
        ReferenceClock clock = ReferenceClock.fromTsc(time);
        try (SynicFixture f = new SynicFixture(1)) {
            SyntheticMsrs msrs = new SyntheticMsrs(f.memory, f.synic, HypercallPage.VMCALL, clock);
            ReferenceTscPage page = new ReferenceTscPage(f.memory, clock);
            assertEquals(0, msrs.read(0, HvMsr.TIME_REF_COUNT), "starts at 0");
            page.write(0, HvMsr.REFERENCE_TSC, PAGE | 1);
            assertEquals(PAGE | 1, page.read(0, HvMsr.REFERENCE_TSC));
            for (long step : new long[] {0, 1, 7, 12_345, 10_000_000, 3_600L * 10_000_000}) {
                time.advanceUnits(step);
                long msr = msrs.read(0, HvMsr.TIME_REF_COUNT);
                assertEquals(msr, guestReads(f.memory, time.read()), "after " + step + " units");
            }
            long before = msrs.read(0, HvMsr.TIME_REF_COUNT);
            time.advanceUnits(1);
            assertEquals(before + 1, msrs.read(0, HvMsr.TIME_REF_COUNT), "one unit per 100 TSC ticks at 1 GHz");
            assertThrows(MsrFault.class, () -> msrs.write(0, HvMsr.TIME_REF_COUNT, 5), "read-only");
        }
    }

    @Test
    void restoreOntoAnotherTscContinuesTheTimeAndRewritesThePage() throws Exception {
        ManualTime time = new ManualTime();
        ReferenceClock clock = ReferenceClock.fromTsc(time);
        try (SynicFixture f = new SynicFixture(1)) {
            ReferenceTscPage page = new ReferenceTscPage(f.memory, clock);
            page.write(0, HvMsr.REFERENCE_TSC, PAGE | 1);
            long seq = f.memory.readU32(PAGE);
            time.advanceUnits(90_000);
            long saved = clock.now();

            time.setTsc(17); // the target host's TSC started anew
            clock.resumeAt(saved);
            assertEquals(saved, clock.now(), "the reference time continues, not restarts");
            page.refresh();
            assertNotEquals(seq, f.memory.readU32(PAGE), "a new sequence tells a reading guest to retry");
            assertEquals(saved, guestReads(f.memory, 17), "the page describes the new TSC");
            time.advanceUnits(5);
            assertEquals(saved + 5, guestReads(f.memory, time.read()));
        }
    }

    @Test
    void disabledOrBadPagesAreNotWritten() throws Exception {
        ReferenceClock clock = ReferenceClock.fromTsc(new ManualTime());
        try (SynicFixture f = new SynicFixture(1)) {
            ReferenceTscPage page = new ReferenceTscPage(f.memory, clock);
            page.write(0, HvMsr.REFERENCE_TSC, PAGE);
            assertEquals(0, f.memory.readU64(PAGE + ReferenceTscPage.OFFSET_SCALE), "disabled: page untouched");
            assertThrows(MsrFault.class, () -> page.write(0, HvMsr.REFERENCE_TSC, 0x10_0000_0000L | 1), "outside RAM");
            assertEquals(PAGE, page.read(0, HvMsr.REFERENCE_TSC), "the refused write changed nothing");
            page.write(0, HvMsr.REFERENCE_TSC, PAGE | 0xFFE | 1);
            assertEquals(PAGE | 1, page.read(0, HvMsr.REFERENCE_TSC), "reserved bits read as zero");
        }
        assertThrows(IllegalArgumentException.class, () -> new ReferenceTscPage(GuestMemory.allocate(1 << 16), ReferenceClock.hostClock()),
                "no page without a TSC-based clock");
    }

    @Test
    void hostClockCountsFromZeroAndResumes() {
        ReferenceClock clock = ReferenceClock.hostClock();
        long a = clock.now();
        assertTrue(a >= 0);
        clock.resumeAt(1_000_000_000L);
        assertTrue(clock.now() >= 1_000_000_000L);
        assertTrue(clock.nanosUntil(clock.now() - 10) <= 0, "a passed time is due");
    }
}
