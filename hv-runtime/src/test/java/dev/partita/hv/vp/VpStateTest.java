package dev.partita.hv.vp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class VpStateTest {

    @Test
    void builderDefaultsAreTheResetState() {
        VpState s = VpState.builder().build();
        assertEquals(VpState.CR0_RESET, s.cr0());
        assertEquals(2, s.rflags());
        assertEquals(0xFFFF, s.cs().limit());
        assertEquals(0, s.cs().base());
        assertEquals(SegmentRegister.TYPE_CODE_XR_ACCESSED, s.cs().type());
        assertEquals(VpState.APIC_BASE_BSP_RESET, s.apicBase());
        assertEquals(MpState.RUNNABLE, s.mpState());
        assertNull(s.xsave());
        assertTrue(s.msrs().isEmpty());
    }

    @Test
    void toBuilderRoundTripsAndBuilderCopies() {
        VpState a = VpState.builder().gpr(Gpr.RSP, 0x7C00).rip(0x7C00).msr(Msrs.LSTAR, 0xFFFF800000001000L)
                .msr(Msrs.SYSENTER_CS, 8).cs(SegmentRegister.flat32Code(8)).dataSegments(SegmentRegister.flat32Data(0x10))
                .cr0(0x11).lapic(new LapicState(new byte[1024])).build();
        VpState b = a.toBuilder().build();
        assertEquals(a, b);
        VpState c = a.toBuilder().gpr(Gpr.RAX, 1).build();
        assertNotEquals(a, c);
        assertEquals(0, a.gpr(Gpr.RAX));
        assertEquals(0x7C00, c.gpr(Gpr.RSP));
        assertEquals(0xFFFFFFFF, b.ds().limit());
        // MSRs iterate in unsigned index order: 0x174 before 0xC0000082
        assertEquals(Msrs.SYSENTER_CS, b.msrs().keySet().iterator().next());
        assertThrows(UnsupportedOperationException.class, () -> b.msrs().put(1, 1L));
    }

    @Test
    void arraysAreDefensivelyCopied() {
        byte[] page = new byte[1024];
        LapicState lapic = new LapicState(page);
        page[0x20] = 5;
        assertEquals(0, lapic.register(LapicState.ID));
        lapic.page()[0x20] = 5;
        assertEquals(0, lapic.register(LapicState.ID));
        byte[] xs = new byte[4096];
        XsaveArea x = new XsaveArea(xs, 3);
        xs[0] = 1;
        assertEquals(0, x.bytes()[0]);
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentRegister(0x10000, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentRegister(0, 0, 0, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new TableRegister(0, 0x10000));
        assertThrows(IllegalArgumentException.class, () -> new LapicState(new byte[1000]));
        assertThrows(IllegalArgumentException.class, () -> new XsaveArea(new byte[512], 1));
        assertThrows(IllegalArgumentException.class, () -> new XsaveArea(new byte[4096], 2));
        assertThrows(IllegalArgumentException.class, () -> GeneralRegisters.of(new long[15]));
    }

    @Test
    void segmentAttributeHelpers() {
        SegmentRegister cs = SegmentRegister.flat32Code(8);
        assertTrue(cs.present());
        assertEquals(0, cs.dpl());
        assertFalse(cs.unusable());
        assertEquals(0xC09B, cs.attributes());
        assertEquals(0x93, SegmentRegister.realModeData(0x1000).attributes());
        assertEquals(0x10000, SegmentRegister.realModeData(0x1000).base());
    }

    @Test
    void reportNamesTheRegisters() {
        String r = VpState.builder().rip(0xDEAD).build().report();
        assertTrue(r.contains("rip=000000000000dead"), r);
        assertTrue(r.contains("cr0=0000000060000010"), r);
    }
}
