package dev.partita.hv.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.LapicState;
import dev.partita.hv.vp.MpState;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import dev.partita.hv.vp.XsaveArea;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The {@code vp/N} section: every field of {@link VpState} survives encode/decode; bad payloads are refused by name. */
class VpStateSectionTest {

    static VpState sample(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] xsave = new byte[XsaveArea.MINIMUM_SIZE + 256];
        rng.nextBytes(xsave);
        byte[] lapic = new byte[LapicState.SIZE];
        rng.nextBytes(lapic);
        VpState.Builder b = VpState.builder();
        for (Gpr g : Gpr.values()) {
            b.gpr(g, rng.nextLong());
        }
        return b.rip(rng.nextLong()).rflags(0x246)
                .cs(new SegmentRegister(0x10, 0, 0xFFFFFFFF, 0xA09B)).ss(new SegmentRegister(0x18, 0, 0xFFFFFFFF, 0xC093))
                .fs(new SegmentRegister(0, rng.nextLong(), 0xFFFF, 0x10000)).gs(new SegmentRegister(0, rng.nextLong(), 0, 0x10000))
                .gdtr(new TableRegister(rng.nextLong(), 0x7F)).idtr(new TableRegister(rng.nextLong(), 0xFFF))
                .cr0(0x80050033L).cr2(rng.nextLong()).cr3(0x1000).cr4(0x6A0).cr8(5).efer(0xD01).apicBase(0xFEE00900L)
                .msr(0xC0000082, rng.nextLong()).msr(0x10, rng.nextLong()).msr(0x277, 0x0007040600070406L)
                .xsave(new XsaveArea(xsave, 7)).lapic(new LapicState(lapic))
                .events(new PendingEvents(true, false, 14, true, 0x6, false, 0x30, false, false, true, true, 1, 0x9A))
                .mpState(MpState.HALTED).build();
    }

    @Test
    void everyFieldRoundTrips() throws Exception {
        VpState s = sample(11);
        VpState back = VpStateSection.decode("vp/0", VpStateSection.encode(s), VpStateSection.VERSION);
        assertEquals(s.report(), back.report());
        assertEquals(s.msrs(), back.msrs());
        assertArrayEquals(s.xsave().bytes(), back.xsave().bytes());
        assertEquals(s.xsave().xcr0(), back.xsave().xcr0());
        assertArrayEquals(s.lapic().page(), back.lapic().page());
        assertEquals(s.events(), back.events());
        assertEquals(s.mpState(), back.mpState());
        assertEquals(s.gprs(), back.gprs());
        assertEquals(s.tr(), back.tr());
        assertEquals(s.ldtr(), back.ldtr());
    }

    @Test
    void unspecifiedXsaveAndLapicStayUnspecified() throws Exception {
        VpState s = VpState.builder().rip(0x7C00).build();
        VpState back = VpStateSection.decode("vp/1", VpStateSection.encode(s), VpStateSection.VERSION);
        assertEquals(null, back.xsave());
        assertEquals(null, back.lapic());
        assertEquals(0x7C00, back.rip());
    }

    @Test
    void truncatedLongerOrOutOfRangePayloadsAreRefusedNamingTheSection() {
        byte[] good = VpStateSection.encode(sample(3));
        for (int cut = 0; cut < good.length; cut += 17) {
            byte[] shortened = Arrays.copyOf(good, cut);
            StateFileException e = assertThrows(StateFileException.class,
                    () -> VpStateSection.decode("vp/2", shortened, VpStateSection.VERSION));
            assertTrue(e.getMessage().startsWith("section 'vp/2'"), e.getMessage());
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(StateFileException.class, () -> VpStateSection.decode("vp/2", longer, VpStateSection.VERSION));
        byte[] badMp = good.clone();
        badMp[badMp.length - 1] = 9;
        assertTrue(assertThrows(StateFileException.class, () -> VpStateSection.decode("vp/2", badMp, 1))
                .getMessage().contains("MP state 9"));
        assertThrows(StateFileException.class, () -> VpStateSection.decode("vp/2", good, 2));
    }
}
