package dev.partita.emulator.mmu;

import static dev.partita.emulator.mmu.PagingFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.Vectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PageWalkTest {

    private final PagingFixture f = new PagingFixture(4 << 20);

    @AfterEach
    void close() {
        f.close();
    }

    private static int pfCode(Runnable r) {
        CpuException e = assertThrows(CpuException.class, r::run);
        assertEquals(Vectors.PF, e.vector(), "vector");
        return e.errorCode();
    }

    private static long pfAddress(Runnable r) {
        CpuException e = assertThrows(CpuException.class, r::run);
        assertEquals(Vectors.PF, e.vector());
        return e.faultAddress();
    }

    @Test
    void fourLevelTranslationReadsAndWritesThePhysicalPageAndSetsAccessedAndDirty() {
        f.longMode();
        long pte = f.map4k(0x7F12_3456_7000L, 0x20_0000, P | RW);
        f.putU32(0x20_0123, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, f.mmu.readLinearU32(0x7F12_3456_7123L, false));
        assertEquals(A, f.u64(pte) & (A | D), "read sets A only");
        f.mmu.writeLinearU64(0x7F12_3456_7200L, 0x1122_3344_5566_7788L, false);
        assertEquals(0x1122_3344_5566_7788L, f.u64(0x20_0200));
        assertEquals(A | D, f.u64(pte) & (A | D), "write sets D");
        assertEquals(A, f.u64(f.entryAddress(0x7F12_3456_7000L, 4)) & A, "PML4E accessed");
    }

    @Test
    void notPresentFaultsCarryWriteUserAndFetchBits() {
        f.longMode();
        assertEquals(0, pfCode(() -> f.mmu.readLinearU8(0x5000, false)));
        assertEquals(2, pfCode(() -> f.mmu.writeLinearU8(0x5000, 1, false)));
        assertEquals(4, pfCode(() -> f.mmu.readLinearU8(0x5000, true)));
        assertEquals(6, pfCode(() -> f.mmu.writeLinearU8(0x5000, 1, true)));
        assertEquals(0x10, pfCode(() -> f.mmu.translate(0x5000, Mmu.EXEC, false)), "I/D with NXE");
        assertEquals(0x5abcL, pfAddress(() -> f.mmu.readLinearU8(0x5abc, false)));
    }

    @Test
    void protectionViolationsFollowUserWriteAndWpRules() {
        f.longMode();
        f.map4k(0x1000, 0x20_0000, P);            // supervisor read-only
        f.map4k(0x2000, 0x20_1000, P | US);       // user read-only
        assertEquals(5, pfCode(() -> f.mmu.readLinearU8(0x1000, true)), "user read of supervisor page");
        assertEquals(7, pfCode(() -> f.mmu.writeLinearU8(0x2000, 1, true)), "user write of read-only page");
        assertEquals(3, pfCode(() -> f.mmu.writeLinearU8(0x1000, 1, false)), "supervisor write with CR0.WP");
        f.cpu.cr0 &= ~Cr0.WP;
        f.mmu.flushAll();
        f.mmu.writeLinearU8(0x1000, 0x5A, false);
        assertEquals(0x5A, f.ram.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0x20_0000));
        assertEquals(0, f.mmu.readLinearU8(0x2000, true), "user read of user page");
    }

    @Test
    void noExecuteAndSmepFaultOnFetchOnly() {
        f.longMode();
        f.map4k(0x3000, 0x20_0000, P | RW | NX);
        f.map4k(0x4000, 0x20_1000, P | RW | US);
        f.mmu.readLinearU8(0x3000, false);
        assertEquals(0x11, pfCode(() -> f.mmu.translate(0x3000, Mmu.EXEC, false)));
        f.mmu.translate(0x4000, Mmu.EXEC, false);
        f.cpu.cr4 |= Cr4.SMEP;
        f.mmu.flushAll();
        assertEquals(0x11, pfCode(() -> f.mmu.translate(0x4000, Mmu.EXEC, false)), "SMEP: supervisor fetch from user page");
        assertEquals(0x4000L, f.mmu.translate(0x4000, Mmu.EXEC, true) - 0x20_1000 + 0x4000);
    }

    @Test
    void reservedBitsGiveRsvdErrorCode() {
        f.longMode();
        long pte = f.map4k(0x6000, 0x20_0000, P | RW);
        f.putU64(pte, f.u64(pte) | (1L << 45)); // above MAXPHYADDR 40
        f.mmu.walker().setPhysAddrBits(40);
        assertEquals(9, pfCode(() -> f.mmu.readLinearU8(0x6000, false)));
        f.putU64(pte, 0x20_0000 | P | RW | NX);
        f.cpu.efer &= ~dev.partita.emulator.cpu.ControlBits.Efer.NXE;
        assertEquals(0xB, pfCode(() -> f.mmu.writeLinearU8(0x6000, 0, false)), "NX bit reserved without EFER.NXE");
    }

    @Test
    void largePagesTwoMegAndOneGig() {
        f.longMode();
        // 2 MiB page: linear 0x4000_0000 + 0x20_0000 -> phys 0x20_0000.
        f.map4k(0x4000_0000L, 0, 0);            // builds the tables
        long pde = f.entryAddress(0x4000_0000L, 2);
        f.putU64(pde, 0x20_0000 | P | RW | PS);
        f.putU32(0x20_0000 + 0x1_2344, 77);
        assertEquals(77, f.mmu.readLinearU32(0x4000_0000L + 0x1_2344, false));
        // 1 GiB page at linear 0x80_0000_0000 -> phys 0 (only the first MiBs exist).
        f.map4k(0x80_0000_0000L, 0, 0);
        long pdpte = f.entryAddress(0x80_0000_0000L, 3);
        f.putU64(pdpte, P | RW | PS);
        f.putU32(0x30_0010, 99);
        assertEquals(99, f.mmu.readLinearU32(0x80_0030_0010L, false));
        // Misaligned 2 MiB frame (bit 13 set) is reserved.
        f.putU64(pde, 0x20_2000 | P | RW | PS);
        f.mmu.flushAll();
        assertEquals(9, pfCode(() -> f.mmu.readLinearU8(0x4000_0000L, false)));
    }

    @Test
    void paeThreeLevelWalk() {
        f.cpu.cr0 = Cr0.PE | Cr0.PG | Cr0.ET;
        f.cpu.cr4 = Cr4.PAE;
        long pdpt = f.table();
        long pd = f.table();
        long pt = f.table();
        f.cpu.cr3 = pdpt;
        f.putU64(pdpt + 8, pd | P);                 // 1-2 GiB
        f.putU64(pd + 8 * 3, pt | P | RW | US);     // 0x4060_0000
        f.putU64(pt + 8 * 5, 0x21_0000 | P | RW);   // 0x4060_5000
        f.putU32(0x21_0008, 0x1234_5678);
        assertEquals(0x1234_5678, f.mmu.readLinearU32(0x4060_5008L, false));
        assertEquals(0, pfCode(() -> f.mmu.readLinearU8(0x0000_1000L, false)), "PDPTE 0 not present");
        f.putU64(pdpt + 16, pd | P | 2);            // reserved bit 1 in a PAE PDPTE
        assertEquals(9, pfCode(() -> f.mmu.readLinearU8(0x8000_0000L, false)));
    }

    @Test
    void twoLevelWalkWithFourMegPages() {
        f.cpu.cr0 = Cr0.PE | Cr0.PG | Cr0.ET;
        f.cpu.cr4 = Cr4.PSE;
        long pd = f.table();
        long pt = f.table();
        f.cpu.cr3 = pd;
        f.putU32(pd + 4 * 1, (int) (pt | P | RW | US));           // 0x0040_0000
        f.putU32(pt + 4 * 2, (int) (0x22_0000 | P | RW | US));    // 0x0040_2000
        f.putU32(pd + 4 * 0x300, (int) (0x0000_0000 | P | RW | PS)); // 0xC000_0000 -> 0 (4 MiB)
        f.putU32(0x22_0010, 42);
        f.putU32(0x23_0000, 43);
        assertEquals(42, f.mmu.readLinearU32(0x0040_2010L, true));
        assertEquals(43, f.mmu.readLinearU32(0xC023_0000L, false));
        assertEquals(5, pfCode(() -> f.mmu.readLinearU8(0xC000_0000L, true)), "4 MiB page is supervisor");
        f.mmu.writeLinearU8(0x0040_2000L, 1, true);
        assertEquals(A | D, f.u32(pt + 8) & (A | D));
    }

    @Test
    void pagingOffIsIdentity() {
        f.cpu.cr0 = Cr0.PE | Cr0.ET;
        f.putU32(0x1234, 5);
        assertEquals(5, f.mmu.readLinearU32(0x1234, true));
    }
}
