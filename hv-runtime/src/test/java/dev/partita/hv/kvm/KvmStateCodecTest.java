package dev.partita.hv.kvm;

import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.MpState;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_segment;
import dev.partita.nativebindings.kvm.kvm_sregs;
import dev.partita.nativebindings.kvm.kvm_vcpu_events;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.*;

/** The VpState <-> kvm struct conversion on plain memory (no /dev/kvm needed). */
class KvmStateCodecTest {

    @Test
    void everySegmentAttributeBitSurvivesKvmSegment() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = kvm_segment.allocate(arena);
            int[] flags = {SegmentRegister.S, SegmentRegister.P, SegmentRegister.AVL, SegmentRegister.L,
                    SegmentRegister.DB, SegmentRegister.G, SegmentRegister.UNUSABLE};
            for (int type = 0; type < 16; type++) {
                for (int dpl = 0; dpl < 4; dpl++) {
                    for (int mask = 0; mask < (1 << flags.length); mask++) {
                        int attributes = type | (dpl << SegmentRegister.DPL_SHIFT);
                        for (int f = 0; f < flags.length; f++) {
                            if ((mask & (1 << f)) != 0) {
                                attributes |= flags[f];
                            }
                        }
                        SegmentRegister r = new SegmentRegister(0xABCD, 0xFFFF_8000_1234_5000L, 0xFFFFF, attributes);
                        KvmStateCodec.writeSegment(r, seg);
                        assertEquals(r, KvmStateCodec.readSegment(seg));
                    }
                }
            }
            KvmStateCodec.writeSegment(SegmentRegister.flat32Code(8), seg);
            assertEquals(0xB, kvm_segment.type(seg));
            assertEquals(1, kvm_segment.db(seg));
            assertEquals(1, kvm_segment.g(seg));
            assertEquals(0, kvm_segment.l(seg));
        }
    }

    @Test
    void registersAndSystemRegistersRoundTrip() {
        VpState.Builder b = VpState.builder().rip(0x1234_5678_9ABCL).rflags(0x246)
                .cs(SegmentRegister.flat32Code(8)).dataSegments(SegmentRegister.flat32Data(0x10))
                .gdtr(new TableRegister(0x1000, 0x27)).idtr(new TableRegister(0x2000, 0x7FF))
                .cr0(0x80050033L).cr2(0xDEAD000).cr3(0x9000).cr4(0x20).cr8(3).efer(0x500).apicBase(0xFEE00900L);
        for (Gpr r : Gpr.values()) {
            b.gpr(r, 0x0101_0101_0101_0101L * (r.ordinal() + 1));
        }
        VpState want = b.build();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment regs = kvm_regs.allocate(arena);
            MemorySegment sregs = kvm_sregs.allocate(arena);
            sregs.asSlice(kvm_sregs.OFFSET_interrupt_bitmap, 32).fill((byte) 0xFF);
            KvmStateCodec.writeRegs(want, regs);
            KvmStateCodec.writeSregs(want, sregs);
            assertEquals(want.gpr(Gpr.RCX), regs.get(ValueLayout.JAVA_LONG, kvm_regs.OFFSET_rcx), "encoding order maps to named fields");
            assertEquals(0, sregs.get(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_interrupt_bitmap), "no stale pending interrupt");
            VpState.Builder back = VpState.builder();
            KvmStateCodec.readRegs(regs, back);
            KvmStateCodec.readSregs(sregs, back);
            VpState got = back.build();
            assertEquals(want.gprs(), got.gprs());
            assertEquals(want.rip(), got.rip());
            assertEquals(want.rflags(), got.rflags());
            assertEquals(want.cs(), got.cs());
            assertEquals(want.ss(), got.ss());
            assertEquals(want.tr(), got.tr());
            assertEquals(want.ldtr(), got.ldtr());
            assertEquals(want.gdtr(), got.gdtr());
            assertEquals(want.idtr(), got.idtr());
            assertEquals(want.cr0(), got.cr0());
            assertEquals(want.cr2(), got.cr2());
            assertEquals(want.cr3(), got.cr3());
            assertEquals(want.cr4(), got.cr4());
            assertEquals(want.cr8(), got.cr8());
            assertEquals(want.efer(), got.efer());
            assertEquals(want.apicBase(), got.apicBase());
        }
    }

    @Test
    void eventsRoundTrip() {
        PendingEvents e = new PendingEvents(true, false, 14, true, 0x2, false, 0x30, true, false, true, true,
                PendingEvents.SHADOW_MOV_SS, 0x9A);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ev = kvm_vcpu_events.allocate(arena);
            KvmStateCodec.writeEvents(e, ev);
            assertEquals(e, KvmStateCodec.readEvents(ev));
            assertNotEquals(0, kvm_vcpu_events.flags(ev), "validity flags are set so KVM applies NMI, SIPI and shadow");
        }
    }

    @Test
    void mpStatesMapBothWays() {
        for (MpState s : MpState.values()) {
            assertEquals(s, KvmStateCodec.fromKvmMpState(KvmStateCodec.toKvmMpState(s)));
        }
    }
}
