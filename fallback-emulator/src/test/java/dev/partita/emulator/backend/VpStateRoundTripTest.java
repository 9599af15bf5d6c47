package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.emulator.cpu.MsrIndex;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.MpState;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import dev.partita.hv.vp.XsaveArea;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VpStateRoundTripTest {

    private static VpState sample() {
        VpState.Builder b = VpState.builder();
        for (Gpr r : Gpr.values()) {
            b.gpr(r, 0x1111_0000_0000_0000L * (r.ordinal() + 1) + r.ordinal());
        }
        ByteBuffer x = ByteBuffer.allocate(XsaveArea.MINIMUM_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        x.putShort(0, (short) 0x027F);                  // FCW
        x.putShort(2, (short) (5 << 11 | 0x20));        // FSW with TOP = 5
        x.put(4, (byte) 0x81);                          // abridged tag
        x.putShort(6, (short) 0x123);                   // FOP
        x.putLong(8, 0x4000_1234L);
        x.putLong(16, 0x5000_5678L);
        x.putInt(24, 0x1F80 | 0x40);                    // MXCSR (DAZ)
        x.putInt(28, 0xFFFF);
        for (int i = 0; i < 8; i++) {
            x.putLong(32 + 16 * i, 0x8000_0000_0000_0000L | i);
            x.putShort(40 + 16 * i, (short) (0x3FFF + i));
        }
        for (int i = 0; i < 16; i++) {
            x.putLong(160 + 16 * i, 0xA0A0_0000_0000_0000L + i);
            x.putLong(168 + 16 * i, 0xB0B0_0000_0000_0000L + i);
        }
        x.putLong(512, 3);
        Map<Integer, Long> msrs = new TreeMap<>();
        msrs.put(MsrIndex.STAR, 0x0023_0010_0000_0000L);
        msrs.put(MsrIndex.LSTAR, 0xFFFF_FFFF_8100_0000L);
        msrs.put(MsrIndex.CSTAR, 0xFFFF_FFFF_8100_1000L);
        msrs.put(MsrIndex.SFMASK, 0x47700L);
        msrs.put(MsrIndex.KERNEL_GS_BASE, 0xFFFF_8880_0000_0000L);
        msrs.put(MsrIndex.TSC_AUX, 3L);
        msrs.put(MsrIndex.SYSENTER_CS, 0x10L);
        msrs.put(MsrIndex.SYSENTER_ESP, 0x9000L);
        msrs.put(MsrIndex.SYSENTER_EIP, 0x1234L);
        msrs.put(MsrIndex.PAT, 0x0007_0406_0007_0406L);
        msrs.put(MsrIndex.MISC_ENABLE, 1L);
        msrs.put(MsrIndex.MTRR_DEF_TYPE, 0xC06L);
        return b.rip(0xFFFF_FFFF_8100_2345L)
                .rflags(0x246)
                .cs(new SegmentRegister(0x10, 0, 0xFFFF_FFFF, 0xA09B))
                .ss(new SegmentRegister(0x18, 0, 0xFFFF_FFFF, 0xC093))
                .ds(new SegmentRegister(0, 0, 0, SegmentRegister.UNUSABLE))
                .es(new SegmentRegister(0x2B, 0, 0xFFFF_FFFF, 0xC0F3))
                .fs(new SegmentRegister(0, 0x7F00_1234_5000L, 0xFFFF_FFFF, 0xC0F3))
                .gs(new SegmentRegister(0, 0xFFFF_8880_1F00_0000L, 0xFFFF_FFFF, 0xC093))
                .tr(new SegmentRegister(0x40, 0xFFFF_FE00_0000_3000L, 0x4087, 0x8B))
                .ldtr(new SegmentRegister(0, 0, 0, SegmentRegister.UNUSABLE))
                .gdtr(new TableRegister(0xFFFF_FE00_0000_1000L, 0x7F))
                .idtr(new TableRegister(0xFFFF_FE00_0000_0000L, 0xFFF))
                .cr0(0x8005_0033L).cr2(0x7F00_DEAD_B000L).cr3(0x1_2345_6000L).cr4(0x6B0).cr8(5)
                .efer(0xD01).apicBase(0xFEE0_0900L)
                .msrs(msrs)
                .xsave(new XsaveArea(x.array(), 3))
                .events(new PendingEvents(false, false, 0, false, 0, false, 0, false, false, false, true,
                        PendingEvents.SHADOW_STI, 0))
                .mpState(MpState.HALTED)
                .build();
    }

    @Test
    void stateSetOnTheEmulatorReadsBackIdentically() {
        try (GuestMemory mem = GuestMemory.allocate(4L << 20);
             EmulatorPartition p = new EmulatorPartition(new BackendPartitionConfig("roundtrip", 1, mem))) {
            BackendVcpu vcpu = p.createVcpu(0);
            VpState in = sample();
            vcpu.setState(in);
            VpState out = vcpu.getState();
            long tscOut = out.msrs().get(MsrIndex.TSC);
            Map<Integer, Long> msrsOut = new TreeMap<>(out.msrs());
            msrsOut.remove(MsrIndex.TSC);
            for (Map.Entry<Integer, Long> e : in.msrs().entrySet()) {
                assertEquals(e.getValue(), msrsOut.get(e.getKey()), "MSR " + Integer.toHexString(e.getKey()));
            }
            VpState comparable = out.toBuilder().msrs(in.msrs()).lapic(null).build();
            assertEquals(in, comparable);
            assertTrue(tscOut >= 0);
        }
    }

    @Test
    void tscWrittenThroughStateKeepsCounting() {
        try (GuestMemory mem = GuestMemory.allocate(4L << 20);
             EmulatorPartition p = new EmulatorPartition(new BackendPartitionConfig("tsc", 1, mem))) {
            BackendVcpu vcpu = p.createVcpu(0);
            long base = 1L << 40;
            vcpu.setState(VpState.builder().msr(MsrIndex.TSC, base).build());
            long first = vcpu.getState().msrs().get(MsrIndex.TSC);
            long second = vcpu.getState().msrs().get(MsrIndex.TSC);
            assertTrue(first >= base && second >= first, first + " then " + second);
            assertTrue(first - base < 2_000_000_000L * 60, "within a minute of the value set");
        }
    }

    @Test
    void cplFollowsSsDplLikeKvm() {
        try (GuestMemory mem = GuestMemory.allocate(4L << 20);
             EmulatorPartition p = new EmulatorPartition(new BackendPartitionConfig("cpl", 1, mem))) {
            EmulatorVcpu vcpu = (EmulatorVcpu) p.createVcpu(0);
            VpState user = sample().toBuilder()
                    .cs(new SegmentRegister(0x33, 0, 0xFFFF_FFFF, 0xA0FB))
                    .ss(new SegmentRegister(0x2B, 0, 0xFFFF_FFFF, 0xC0F3))
                    .build();
            vcpu.setState(user);
            assertEquals(3, vcpu.cpu().cpl);
            assertTrue(vcpu.cpu().longMode64);
            vcpu.setState(sample());
            assertEquals(0, vcpu.cpu().cpl);
        }
    }
}
