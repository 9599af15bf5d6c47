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
            byte[] v2 = good.clone();
            v2[5] = 2; // version u16 at offset 4
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(v2, 0, v2.length - 4);
            java.nio.ByteBuffer.wrap(v2).putInt(v2.length - 4, (int) crc.getValue());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HyperVStateCodec.decode(v2));
            assertTrue(e.getMessage().contains("version 2"), e.getMessage());
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
