package dev.partita.hv.kvm;

import dev.partita.hv.Partition;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.LapicState;
import dev.partita.hv.vp.Msrs;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import dev.partita.hv.vp.XsaveArea;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/** VpState written to a KVM vCPU reads back the same (the conversion is lossless for what KVM keeps). */
class KvmStateRoundTripTest {

    @BeforeEach
    void needKvm() {
        KvmTestGuests.assumeKvm();
    }

    @Test
    void longModeStateRoundTrips() {
        try (Partition p = KvmTestGuests.partition("kvm-roundtrip")) {
            VpState base = p.processor(0).state();
            assertNotNull(base.xsave(), "a state read from KVM has the XSAVE area");
            assertNotNull(base.lapic(), "a state read from KVM has the LAPIC page");

            byte[] xsave = base.xsave().bytes();
            ByteBuffer xb = ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN);
            xb.putInt(XsaveArea.MXCSR_OFFSET, 0x1FA0).putLong(XsaveArea.XMM0_OFFSET, 0x0123456789ABCDEFL);
            // XSTATE_BV (first word of the XSAVE header at 512): mark x87 and SSE state as present
            xb.putLong(512, xb.getLong(512) | 0x3);
            byte[] lapic = base.lapic().page();
            ByteBuffer.wrap(lapic).order(ByteOrder.LITTLE_ENDIAN).putInt(LapicState.TPR, 0x20);

            SegmentRegister code64 = new SegmentRegister(0x08, 0, 0xFFFFFFFF,
                    SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_CODE_XR_ACCESSED | SegmentRegister.L | SegmentRegister.G);
            SegmentRegister data = SegmentRegister.flat32Data(0x10);
            SegmentRegister fs = new SegmentRegister(0x10, 0x7FFF_0000_1000L, 0xFFFFFFFF, data.attributes());
            SegmentRegister tr = new SegmentRegister(0x18, 0x3000, 0x67, SegmentRegister.P | SegmentRegister.TYPE_TSS_BUSY);
            VpState.Builder b = base.toBuilder()
                    .rip(0xFFFF_8000_0010_0000L).rflags(0x202)
                    .cs(code64).ds(data).es(data).ss(data).fs(fs).gs(data).tr(tr)
                    .gdtr(new TableRegister(0x2000, 0x2F)).idtr(new TableRegister(0x4000, 0xFFF))
                    .cr0(0x8005_0033L).cr3(0x10_0000).cr4(0x6A0).efer(0xD01)
                    .msr(Msrs.LSTAR, 0xFFFF_8000_0000_2000L).msr(Msrs.STAR, 0x0023_0010_0000_0000L)
                    .msr(Msrs.SYSENTER_CS, 0x08).msr(Msrs.KERNEL_GS_BASE, 0xFFFF_8880_0000_0000L)
                    .xsave(new XsaveArea(xsave, base.xsave().xcr0()))
                    .lapic(new LapicState(lapic))
                    .events(new PendingEvents(false, false, 0, false, 0, false, 0, false, false, false, false,
                            PendingEvents.SHADOW_STI, 0));
            for (Gpr r : Gpr.values()) {
                b.gpr(r, 0x1111_0000_0000_0000L * (r.ordinal() % 15 + 1) + r.ordinal());
            }
            VpState want = b.build();
            p.processor(0).setState(want);
            VpState got = p.processor(0).state();

            assertEquals(want.gprs(), got.gprs());
            assertEquals(want.rip(), got.rip());
            assertEquals(want.rflags(), got.rflags());
            assertEquals(want.cs(), got.cs());
            assertEquals(want.ds(), got.ds());
            assertEquals(want.fs(), got.fs());
            assertEquals(want.tr(), got.tr());
            assertEquals(want.gdtr(), got.gdtr());
            assertEquals(want.idtr(), got.idtr());
            assertEquals(want.cr0(), got.cr0());
            assertEquals(want.cr3(), got.cr3());
            assertEquals(want.cr4(), got.cr4());
            assertEquals(want.efer(), got.efer());
            for (int msr : new int[] {Msrs.LSTAR, Msrs.STAR, Msrs.SYSENTER_CS, Msrs.KERNEL_GS_BASE}) {
                if (got.msrs().containsKey(msr)) {
                    assertEquals(want.msrs().get(msr), got.msrs().get(msr), "MSR 0x" + Integer.toHexString(msr));
                }
            }
            assertTrue(got.msrs().containsKey(Msrs.LSTAR), "LSTAR is saved: " + got.msrs().keySet());
            ByteBuffer gx = ByteBuffer.wrap(got.xsave().bytes()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0x1FA0, gx.getInt(XsaveArea.MXCSR_OFFSET));
            assertEquals(0x0123456789ABCDEFL, gx.getLong(XsaveArea.XMM0_OFFSET));
            assertEquals(0x20, got.lapic().register(LapicState.TPR) & 0xFF);
            assertEquals(PendingEvents.SHADOW_STI, got.events().interruptShadow());
        }
    }
}
