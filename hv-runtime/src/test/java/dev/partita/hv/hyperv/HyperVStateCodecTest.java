package dev.partita.hv.hyperv;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Saving and restoring the Hyper-V state, including queued messages, and refusing damaged records. */
class HyperVStateCodecTest {
    private static final long SIMP = 0x10000, SIEFP = 0x11000;

    @Test
    void stateRoundTripsIntoAFreshPartition() throws Exception {
        byte[] record;
        try (SynicFixture f = new SynicFixture(2)) {
            f.msrs.write(0, HvMsr.GUEST_OS_ID, 0x8100L << 48);
            f.msrs.write(0, HvMsr.HYPERCALL, 0x3000 | 1);
            f.msrs.write(1, HvMsr.VP_ASSIST_PAGE, 0x9001);
            f.msrs.write(0, HvMsr.TSC_INVARIANT_CONTROL, 1);
            f.enable(1, SIMP, SIEFP, 2, 0xF3);
            for (int i = 1; i <= 3; i++) {
                f.synic.postMessage(1, 2, 1, new byte[] {(byte) i});
            }
            record = HyperVStateCodec.encode(state(f));
            assertEquals(record.length, HyperVStateCodec.encode(HyperVStateCodec.decode(record)).length);
        }
        try (SynicFixture g = new SynicFixture(2)) {
            HyperVState s = HyperVStateCodec.decode(record);
            for (int vp = 0; vp < 2; vp++) {
                g.synic.processor(vp).restore(s.processors().get(vp).synic());
            }
            g.msrs.restore(s.guestOsId(), s.hypercall(), s.tscInvariantControl(),
                    new long[] {s.processors().get(0).vpAssistPage(), s.processors().get(1).vpAssistPage()});
            assertEquals(0x8100L << 48, g.msrs.read(1, HvMsr.GUEST_OS_ID));
            assertEquals(0x3001, g.msrs.read(0, HvMsr.HYPERCALL));
            assertEquals(0x9001, g.msrs.read(1, HvMsr.VP_ASSIST_PAGE));
            assertEquals(SIMP | 1, g.msrs.read(1, HvMsr.SIMP));
            assertEquals(0xF3, g.msrs.read(1, HvMsr.SINT0 + 2));
            assertEquals(HvMsr.SINT_MASKED, g.msrs.read(0, HvMsr.SINT0 + 2));
            assertEquals(2, g.synic.processor(1).queued(2), "two messages were waiting behind the slot");
            // the slot content lives in guest RAM (restored with it); emulate that, then let the guest go on
            long slot = SIMP + 2 * 256L;
            g.memory.writeU32(slot, 1);
            g.memory.writeU8(slot + 5, MessagePage.FLAG_PENDING);
            assertTrue(g.guestConsume(1, slot));
            assertEquals(2, g.memory.readU8(slot + 16), "the queue continues in order after restore");
        }
    }

    @Test
    void damagedOrForeignRecordsAreRefused() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            byte[] good = HyperVStateCodec.encode(state(f));
            byte[] flipped = good.clone();
            flipped[20] ^= 1;
            assertThrows(IllegalArgumentException.class, () -> HyperVStateCodec.decode(flipped), "checksum");
            assertThrows(IllegalArgumentException.class, () -> HyperVStateCodec.decode(java.util.Arrays.copyOf(good, 30)), "truncated");
            assertThrows(IllegalArgumentException.class, () -> HyperVStateCodec.decode(new byte[3]));
            byte[] v3 = good.clone();
            v3[5] = 3; // version u16 at offset 4: one this build does not know
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(v3, 0, v3.length - 4);
            java.nio.ByteBuffer.wrap(v3).putInt(v3.length - 4, (int) crc.getValue());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HyperVStateCodec.decode(v3));
            assertTrue(e.getMessage().contains("version 3"), e.getMessage());
        }
    }

    @Test
    void version2CarriesTimersReferenceTscAndCrashParameters() {
        try (SynicFixture f = new SynicFixture(2)) {
            HyperVState base = state(f);
            java.util.List<HyperVState.Processor> ps = new java.util.ArrayList<>();
            for (int vp = 0; vp < 2; vp++) {
                HyperVState.Processor p = base.processors().get(vp);
                ps.add(new HyperVState.Processor(p.vpAssistPage(), p.synic(), java.util.List.of(
                        new TimerSnapshot(0x1ED9 + vp, 5000, 123_456), TimerSnapshot.IDLE,
                        new TimerSnapshot(0x2_0003, 100, TimerSnapshot.DISARMED), TimerSnapshot.IDLE)));
            }
            HyperVState s = new HyperVState(base.guestOsId(), base.hypercall(), base.tscInvariantControl(), 777, ps,
                    0x5000 | 1, new long[] {1, 2, 3, 4, 5});
            HyperVState back = HyperVStateCodec.decode(HyperVStateCodec.encode(s));
            assertEquals(0x5001, back.referenceTsc());
            assertArrayEquals(new long[] {1, 2, 3, 4, 5}, back.crashParameters());
            assertEquals(777, back.referenceTime());
            for (int vp = 0; vp < 2; vp++) {
                assertEquals(s.processors().get(vp).timers(), back.processors().get(vp).timers(), "vCPU " + vp);
            }
        }
    }

    @Test
    void version1RecordsStillDecodeWithIdleTimers() {
        try (SynicFixture f = new SynicFixture(2)) {
            byte[] v2 = HyperVStateCodec.encode(state(f));
            // a version 1 record is the version 2 layout without its tail: REFERENCE_TSC, CRASH_P0-P4, 2 x 4 timers x 3 values
            int tail = 8 + 5 * 8 + 2 * HvMsr.STIMER_COUNT * 3 * 8;
            byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - tail);
            System.arraycopy(v2, 0, v1, 0, v1.length - 4);
            v1[4] = 0;
            v1[5] = 1;
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(v1, 0, v1.length - 4);
            java.nio.ByteBuffer.wrap(v1).putInt(v1.length - 4, (int) crc.getValue());
            HyperVState s = HyperVStateCodec.decode(v1);
            assertEquals(0, s.referenceTsc());
            assertArrayEquals(new long[5], s.crashParameters());
            assertEquals(java.util.Collections.nCopies(HvMsr.STIMER_COUNT, TimerSnapshot.IDLE), s.processors().get(1).timers());
        }
    }

    private static HyperVState state(SynicFixture f) {
        java.util.List<HyperVState.Processor> ps = new java.util.ArrayList<>();
        for (int vp = 0; vp < f.synic.processorCount(); vp++) {
            ps.add(new HyperVState.Processor(f.msrs.vpAssistPage(vp), f.synic.processor(vp).save()));
        }
        return new HyperVState(f.msrs.guestOsId(), f.msrs.hypercall(), f.msrs.tscInvariantControl(), f.clock.now(), ps);
    }
}
