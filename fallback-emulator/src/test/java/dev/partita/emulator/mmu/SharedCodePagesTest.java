package dev.partita.emulator.mmu;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.emulator.cpu.CpuState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two vCPU views of one RAM: a write by one invalidates code the other decoded (cross-modifying code). */
class SharedCodePagesTest {

    @Test
    void writeByOneVcpuReachesTheOtherAtItsNextSync() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(1 << 20, 4096);
            SharedCodePages shared = new SharedCodePages(1 << 20);
            PhysicalMemory a = new PhysicalMemory();
            PhysicalMemory b = new PhysicalMemory();
            a.addRam(0, ram, false);
            b.addRam(0, ram, false);
            a.shareCodePages(shared);
            b.shareCodePages(shared);
            CpuState cpuA = new CpuState();
            CpuState cpuB = new CpuState();
            cpuA.cr0 = cpuB.cr0 = 0x11; // protected mode, paging off: linear = physical
            Mmu mmuA = new Mmu(cpuA, a);
            Mmu mmuB = new Mmu(cpuB, b);
            List<Long> seenA = new ArrayList<>();
            List<Long> seenB = new ArrayList<>();
            a.setCodeWriteListener(seenA::add);
            b.setCodeWriteListener(seenB::add);

            mmuB.writeLinearU32(0x3000, 1, false);          // B now has a fast write path to page 3
            assertTrue(a.markCode(0x3010));                 // A decodes code from page 3
            assertTrue(b.isCode(0x3000), "the mark is visible to B");
            mmuB.syncSharedState();                         // B's slice boundary: drops its write translations
            mmuB.writeLinearU32(0x3020, 2, false);          // B patches A's code
            assertEquals(List.of(0x3000L), seenB, "the writer's own view is told at once");
            assertTrue(seenA.isEmpty(), "A hears about it at its own slice boundary");
            mmuA.syncSharedState();
            assertEquals(List.of(0x3000L), seenA);
            assertFalse(a.isCode(0x3000), "mark cleared until A decodes again");
            mmuB.writeLinearU32(0x3030, 3, false);
            mmuA.syncSharedState();
            assertEquals(1, seenA.size(), "no second report for an unmarked page");
        }
    }

    @Test
    void hostWriteInvalidatesOnlyTheMarkedPagesItTouchesForEveryView() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(1 << 20, 4096);
            SharedCodePages shared = new SharedCodePages(1 << 20);
            PhysicalMemory a = new PhysicalMemory();
            PhysicalMemory b = new PhysicalMemory();
            a.addRam(0, ram, false);
            b.addRam(0, ram, false);
            a.shareCodePages(shared);
            b.shareCodePages(shared);
            List<Long> seenA = new ArrayList<>();
            List<Long> seenB = new ArrayList<>();
            a.setCodeWriteListener(seenA::add);
            b.setCodeWriteListener(seenB::add);
            a.markCode(0x3000);
            a.markCode(0x82000);    // page 130: another bitmap word
            b.markCode(0x90000);    // outside the written range

            shared.hostWritten(0x3FFF, 0x7F002);  // last byte of page 3 .. first byte of page 130
            shared.hostWritten(1 << 20, 4096);     // beyond RAM: ignored
            shared.hostWritten(0x5000, 0);         // empty: ignored
            assertTrue(seenA.isEmpty() && seenB.isEmpty(), "views hear of host writes at their slice boundary");
            a.drainCodeInvalidations();
            b.drainCodeInvalidations();
            assertEquals(List.of(0x3000L, 0x82000L), seenA);
            assertEquals(List.of(0x3000L, 0x82000L), seenB);
            assertFalse(a.isCode(0x3000));
            assertFalse(a.isCode(0x82000));
            assertTrue(a.isCode(0x90000), "a page the host did not write keeps its decoded code");
        }
    }
}
