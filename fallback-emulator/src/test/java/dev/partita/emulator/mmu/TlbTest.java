package dev.partita.emulator.mmu;

import static dev.partita.emulator.mmu.PagingFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TlbTest {

    private final PagingFixture f = new PagingFixture(4 << 20);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void staleTranslationUntilInvlpg() {
        f.longMode();
        long pte = f.map4k(0x9000, 0x20_0000, P | RW);
        f.putU32(0x20_0000, 1);
        f.putU32(0x20_1000, 2);
        assertEquals(1, f.mmu.readLinearU32(0x9000, false));
        f.putU64(pte, 0x20_1000 | P | RW);
        assertEquals(1, f.mmu.readLinearU32(0x9000, false), "TLB still holds the old translation");
        f.mmu.invalidatePage(0x9abc);
        assertEquals(2, f.mmu.readLinearU32(0x9000, false), "INVLPG drops it");
    }

    @Test
    void globalEntriesSurviveCr3ReloadButNotFullFlush() {
        f.longMode();
        long gPte = f.map4k(0xA000, 0x20_0000, P | RW | G);
        long nPte = f.map4k(0xB000, 0x20_1000, P | RW);
        f.putU32(0x20_0000, 10);
        f.putU32(0x20_1000, 20);
        f.putU32(0x20_2000, 30);
        assertEquals(10, f.mmu.readLinearU32(0xA000, false));
        assertEquals(20, f.mmu.readLinearU32(0xB000, false));
        f.putU64(gPte, 0x20_2000 | P | RW | G);
        f.putU64(nPte, 0x20_2000 | P | RW);
        f.mmu.flushNonGlobal();
        assertEquals(10, f.mmu.readLinearU32(0xA000, false), "global survives MOV CR3");
        assertEquals(30, f.mmu.readLinearU32(0xB000, false), "non-global re-walked");
        f.mmu.flushAll();
        assertEquals(30, f.mmu.readLinearU32(0xA000, false), "CR4.PGE toggle flushes globals");
    }

    @Test
    void invlpgInsideALargePageDropsEverySmallEntryOfIt() {
        f.longMode();
        f.map4k(0x4000_0000L, 0, 0);
        long pde = f.entryAddress(0x4000_0000L, 2);
        f.putU64(pde, 0x20_0000 | P | RW | PS);
        f.putU32(0x20_5000, 1);
        assertEquals(1, f.mmu.readLinearU32(0x4000_5000L, false));
        f.putU64(pde, 0 | P | RW | PS);
        f.putU32(0x5000, 2);
        f.mmu.invalidatePage(0x4000_0000L);
        assertEquals(2, f.mmu.readLinearU32(0x4000_5000L, false));
    }

    @Test
    void writesToCodePagesAreReportedOnceUntilMarkedAgain() {
        f.longMode();
        f.map4k(0xC000, 0x20_0000, P | RW);
        f.map4k(0xD000, 0x20_1000, P | RW);
        List<Long> seen = new ArrayList<>();
        f.memory.setCodeWriteListener(seen::add);
        f.mmu.writeLinearU32(0xC000, 1, false);   // fills the write TLB for a non-code page
        f.mmu.writeLinearU32(0xD000, 1, false);
        assertTrue(f.memory.markCode(0x20_0004));
        f.mmu.writeLinearU32(0xC010, 2, false);   // must not use the fast path
        f.mmu.writeLinearU32(0xD010, 2, false);
        assertEquals(List.of(0x20_0000L), seen);
        f.mmu.writeLinearU32(0xC020, 3, false);
        assertEquals(1, seen.size(), "mark cleared after the report");
        assertEquals(3, f.u32(0x20_0020));
    }

    @Test
    void nonRamGoesToTheMmioHandler() {
        f.longMode();
        f.map4k(0xE000, 0xD000_0000L, P | RW);
        List<String> log = new ArrayList<>();
        f.memory.setMmioHandler(new MmioHandler() {
            @Override
            public long read(long gpa, int size) {
                log.add("r" + Long.toHexString(gpa) + "/" + size);
                return 0x54524150L;
            }

            @Override
            public void write(long gpa, int size, long value) {
                log.add("w" + Long.toHexString(gpa) + "/" + size + "=" + Long.toHexString(value));
            }
        });
        assertEquals(0x54524150, f.mmu.readLinearU32(0xE000, false));
        f.mmu.writeLinearU64(0xE008, 0xABCDL, false);
        f.mmu.readLinearU32(0xE000, false);
        assertEquals(List.of("rd0000000/4", "wd0000008/8=abcd", "rd0000000/4"), log);
    }

    @Test
    void pageCrossingWriteFaultsBeforeWritingAnything() {
        f.longMode();
        f.map4k(0x1_0000, 0x20_0000, P | RW);
        // 0x1_1000 not mapped
        f.putU64(0x20_0FFC, 0);
        assertThrows(dev.partita.emulator.cpu.CpuException.class, () -> f.mmu.writeLinearU64(0x1_0FFC, -1L, false));
        assertEquals(0, f.u32(0x20_0FFC), "first page untouched");
        f.map4k(0x1_1000, 0x20_3000, P | RW);
        f.mmu.writeLinearU64(0x1_0FFC, 0x1122_3344_5566_7788L, false);
        assertEquals(0x5566_7788, f.u32(0x20_0FFC));
        assertEquals(0x1122_3344, f.u32(0x20_3000));
        assertEquals(0x1122_3344_5566_7788L, f.mmu.readLinearU64(0x1_0FFC, false));
    }
}
