package dev.partita.hv.hyperv;

import dev.partita.hv.msr.MsrFault;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Semantics of the synthetic MSRs, per processor and partition-wide. */
class SyntheticMsrsTest {

    @Test
    void vpIndexIsPerProcessorAndReadOnly() throws Exception {
        try (SynicFixture f = new SynicFixture(3)) {
            for (int vp = 0; vp < 3; vp++) {
                assertEquals(vp, f.msrs.read(vp, HvMsr.VP_INDEX));
            }
            assertThrows(MsrFault.class, () -> f.msrs.write(1, HvMsr.VP_INDEX, 0));
            assertThrows(MsrFault.class, () -> f.msrs.read(3, HvMsr.VP_INDEX), "unknown processor");
        }
    }

    @Test
    void claimsOnlyWhatItImplements() {
        try (SynicFixture f = new SynicFixture(1)) {
            for (int msr : new int[] {0x4000_0000, 0x4000_0001, 0x4000_0002, 0x4000_0020, 0x4000_0073, 0x4000_0080,
                    0x4000_0081, 0x4000_0082, 0x4000_0083, 0x4000_0084, 0x4000_0090, 0x4000_009F, 0x4000_0118}) {
                assertTrue(f.msrs.claims(msr), Integer.toHexString(msr));
            }
            for (int msr : new int[] {0x4000_0003, 0x4000_0010, 0x4000_0021, 0x4000_0085, 0x4000_00A0, 0x4000_00B0, 0x4000_0100, 0x10}) {
                assertFalse(f.msrs.claims(msr), Integer.toHexString(msr));
            }
        }
    }

    @Test
    void hypercallPageIsFilledOnlyAfterGuestOsId() throws Exception {
        try (SynicFixture f = new SynicFixture(2, HypercallPage.PORT_TRAP)) {
            long page = 0x3000;
            f.msrs.write(0, HvMsr.HYPERCALL, page | 1);
            assertEquals(page, f.msrs.read(0, HvMsr.HYPERCALL), "enable refused without a guest OS id");
            assertEquals(0, f.memory.readU8(page), "page untouched");

            f.msrs.write(0, HvMsr.GUEST_OS_ID, 0x8100L << 48 | 0x060100);
            assertEquals(0x8100L << 48 | 0x060100, f.msrs.read(1, HvMsr.GUEST_OS_ID), "partition-wide");
            f.msrs.write(1, HvMsr.HYPERCALL, page | 1);
            assertEquals(page | 1, f.msrs.read(0, HvMsr.HYPERCALL), "reads back enabled on every processor");
            assertArrayEquals(HypercallPage.PORT_TRAP.page(), f.memory.read(page, 4096));

            f.msrs.write(0, HvMsr.GUEST_OS_ID, 0);
            assertEquals(page, f.msrs.read(0, HvMsr.HYPERCALL), "clearing the guest OS id disables the page");
        }
    }

    @Test
    void hypercallPageOutsideRamFaults() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.msrs.write(0, HvMsr.GUEST_OS_ID, 1);
            assertThrows(MsrFault.class, () -> f.msrs.write(0, HvMsr.HYPERCALL, 0x1_0000_0000L | 1));
            assertEquals(0, f.msrs.read(0, HvMsr.HYPERCALL));
        }
    }

    @Test
    void lockedHypercallMsrKeepsItsValue() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.msrs.write(0, HvMsr.GUEST_OS_ID, 1);
            f.msrs.write(0, HvMsr.HYPERCALL, 0x5000 | HvMsr.HYPERCALL_LOCKED | 1);
            f.msrs.write(0, HvMsr.HYPERCALL, 0x6000 | 1);
            assertEquals(0x5000 | HvMsr.HYPERCALL_LOCKED | 1, f.msrs.read(0, HvMsr.HYPERCALL));
        }
    }

    @Test
    void vpAssistPageIsStoredPerProcessor() throws Exception {
        try (SynicFixture f = new SynicFixture(2)) {
            f.msrs.write(0, HvMsr.VP_ASSIST_PAGE, 0x7000 | 1);
            f.msrs.write(1, HvMsr.VP_ASSIST_PAGE, 0x8000 | 1);
            assertEquals(0x7001, f.msrs.read(0, HvMsr.VP_ASSIST_PAGE));
            assertEquals(0x8001, f.msrs.read(1, HvMsr.VP_ASSIST_PAGE));
        }
    }

    @Test
    void timeReferenceCountAdvancesAndIsReadOnly() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            long a = f.msrs.read(0, HvMsr.TIME_REF_COUNT);
            Thread.sleep(2);
            long b = f.msrs.read(0, HvMsr.TIME_REF_COUNT);
            assertTrue(b > a, a + " then " + b);
            assertThrows(MsrFault.class, () -> f.msrs.write(0, HvMsr.TIME_REF_COUNT, 0));
            f.clock.resumeAt(1_000_000_000L);
            assertTrue(f.msrs.read(0, HvMsr.TIME_REF_COUNT) >= 1_000_000_000L, "continues from a restored count");
        }
    }

    @Test
    void synicRegistersHaveResetValuesAndArePerProcessor() throws Exception {
        try (SynicFixture f = new SynicFixture(2)) {
            assertEquals(0, f.msrs.read(0, HvMsr.SCONTROL));
            assertEquals(1, f.msrs.read(0, HvMsr.SVERSION));
            assertThrows(MsrFault.class, () -> f.msrs.write(0, HvMsr.SVERSION, 2));
            for (int n = 0; n < 16; n++) {
                assertEquals(HvMsr.SINT_MASKED, f.msrs.read(1, HvMsr.SINT0 + n), "SINT" + n + " starts masked");
            }
            f.msrs.write(0, HvMsr.SCONTROL, 1);
            f.msrs.write(0, HvMsr.SINT0 + 2, 0xF3);
            f.msrs.write(0, HvMsr.SIMP, 0x10000 | 1);
            assertEquals(1, f.msrs.read(0, HvMsr.SCONTROL));
            assertEquals(0xF3, f.msrs.read(0, HvMsr.SINT0 + 2));
            assertEquals(0x10001, f.msrs.read(0, HvMsr.SIMP));
            assertEquals(0, f.msrs.read(1, HvMsr.SCONTROL), "vCPU 1 unaffected");
            assertEquals(HvMsr.SINT_MASKED, f.msrs.read(1, HvMsr.SINT0 + 2));
            assertEquals(0, f.msrs.read(1, HvMsr.SIMP));
            assertEquals(0, f.msrs.read(0, HvMsr.EOM), "EOM reads as zero");
        }
    }

    @Test
    void sintRejectsReservedVectorsUnlessMasked() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            assertThrows(MsrFault.class, () -> f.msrs.write(0, HvMsr.SINT0, 15));
            f.msrs.write(0, HvMsr.SINT0, HvMsr.SINT_MASKED | 15);
            assertEquals(HvMsr.SINT_MASKED | 15, f.msrs.read(0, HvMsr.SINT0));
            f.msrs.write(0, HvMsr.SINT0 + 1, 0xFFFF_FFFF_FFFF_FFFFL);
            assertEquals(HvMsr.SINT_WRITABLE, f.msrs.read(0, HvMsr.SINT0 + 1), "reserved bits read as zero");
        }
    }

    @Test
    void enablingSynicPagesClearsThemAndRefusesNonRam() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.memory.fill(0x20000, 4096, (byte) 0x5A);
            f.msrs.write(0, HvMsr.SIEFP, 0x20000 | 1);
            assertEquals(0, f.memory.readU64(0x20000 + 512));
            assertEquals(0, f.memory.readU64(0x20000 + 4088));
            assertThrows(MsrFault.class, () -> f.msrs.write(0, HvMsr.SIMP, 0xFFFF_F000L | 1));
            assertEquals(0, f.msrs.read(0, HvMsr.SIMP));
        }
    }

    @Test
    void tscInvariantControlAcceptsBitZero() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.msrs.write(0, HvMsr.TSC_INVARIANT_CONTROL, 1);
            assertEquals(1, f.msrs.read(0, HvMsr.TSC_INVARIANT_CONTROL));
            assertThrows(MsrFault.class, () -> f.msrs.write(0, HvMsr.TSC_INVARIANT_CONTROL, 2));
        }
    }
}
