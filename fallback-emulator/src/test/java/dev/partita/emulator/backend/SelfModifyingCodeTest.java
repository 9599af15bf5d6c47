package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Guest code that rewrites an instruction it already executed sees the new bytes (decoded-code invalidation by page). */
class SelfModifyingCodeTest {

    @Test
    void rewrittenImmediateIsExecutedOnTheNextPass() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            // 0x1000: mov eax, 1          B8 01 00 00 00
            // 0x1005: add ebx, eax        01 C3
            // 0x1007: mov byte [0x1001], 7  C6 04 25 01 10 00 00 07
            // 0x100F: dec ecx             FF C9
            // 0x1011: jnz 0x1000          75 ED
            // 0x1013: int3                CC
            byte[] code = {(byte) 0xB8, 1, 0, 0, 0, 0x01, (byte) 0xC3, (byte) 0xC6, 0x04, 0x25, 0x01, 0x10, 0, 0, 7,
                (byte) 0xFF, (byte) 0xC9, 0x75, (byte) 0xED, (byte) 0xCC};
            h.load(0x1000, code);
            h.cpu().rip = 0x1000;
            h.cpu().gpr[1] = 3;
            CpuHarness.Result r = h.run(100);
            assertEquals(3, r.vector());
            assertEquals(1 + 7 + 7, h.cpu().gpr[3], "first pass adds 1, later passes the rewritten 7");
        }
    }

    @Test
    void writeFromAnotherPageMappingTheSameFrameIsSeen() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            // Code at 0x2000; a data alias of physical page 0x2000 at linear 0x5000 (set up below).
            // 0x2000: mov eax, 1 ; add ebx, eax ; mov byte [0x5001], 9 ; dec ecx ; jnz 0x2000 ; int3
            byte[] code = {(byte) 0xB8, 1, 0, 0, 0, 0x01, (byte) 0xC3, (byte) 0xC6, 0x04, 0x25, 0x01, 0x50, 0, 0, 9,
                (byte) 0xFF, (byte) 0xC9, 0x75, (byte) 0xED, (byte) 0xCC};
            h.load(0x2000, code);
            // Remap linear 0x5000 to physical 0x2000 through the harness page table.
            long pte = ptePhysical(h, 0x5000);
            h.ram().set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, pte, 0x2000L | 7);
            h.mmu().invalidatePage(0x5000);
            h.cpu().rip = 0x2000;
            h.cpu().gpr[1] = 2;
            CpuHarness.Result r = h.run(100);
            assertEquals(3, r.vector());
            assertEquals(1 + 9, h.cpu().gpr[3]);
        }
    }

    /** Physical address of the PTE for {@code linear} in the harness's identity tables (found by walking CR3). */
    private static long ptePhysical(CpuHarness h, long linear) {
        long table = h.cpu().cr3 & ~0xFFFL;
        for (int level = 4; level > 1; level--) {
            long idx = (linear >>> (12 + 9 * (level - 1))) & 0x1FF;
            table = h.ram().get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, table + idx * 8) & 0x000F_FFFF_FFFF_F000L;
        }
        return table + ((linear >>> 12) & 0x1FF) * 8;
    }
}
