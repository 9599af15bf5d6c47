package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CpuHarnessTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void runsUserCodeUntilInt3AndReportsItWithoutDelivering() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            h.load(0x1000, bytes(0xB8, 5, 0, 0, 0,      // mov eax, 5
                    0x48, 0x83, 0xC0, 0x03,             // add rax, 3
                    0xCC));                              // int3
            h.cpu().rip = 0x1000;
            CpuHarness.Result r = h.run(100);
            assertEquals(3, r.vector());
            assertEquals(2, r.retired());
            assertEquals(8, h.cpu().gpr[0]);
            assertEquals(0x100A, h.cpu().rip, "INT3 is a trap: RIP after the instruction");
            assertEquals(3, h.cpu().cpl);
        }
    }

    @Test
    void int1IsATrapReportedAfterTheInstructionWithItsPrefixes() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            h.load(0x1000, bytes(0x26, 0x66, 0x41, 0xF1,    // es o16 rex.b int1
                    0x90));
            h.cpu().rip = 0x1000;
            CpuHarness.Result r = h.run(100);
            assertEquals(1, r.vector());
            assertEquals(0, r.errorCode());
            assertEquals(0x1004, h.cpu().rip, "the SDM makes INT1's #DB a trap: RIP after the instruction");
        }
    }

    @Test
    void intoIsUndefinedIn64BitModeAFaultAtTheInstruction() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            // INTO is #UD in 64-bit mode (a fault at the instruction).
            h.load(0x1000, bytes(0xCE));
            h.cpu().rip = 0x1000;
            CpuHarness.Result r = h.run(10);
            assertEquals(6, r.vector());
            assertEquals(0x1000, h.cpu().rip, "#UD is a fault: RIP at the instruction");
        }
    }

    @Test
    void reservedAreaIsUnmappedAndTheSystemPageIsSupervisorOnly() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            long reserved = (4 << 20) - h.reservedBytes();
            h.load(0x2000, bytes(0x89, 0x03));          // mov [rbx], eax
            h.cpu().rip = 0x2000;
            h.cpu().gpr[3] = reserved;
            CpuHarness.Result r = h.run(10);
            assertEquals(14, r.vector());
            assertEquals(6, r.errorCode(), "write | user, not present: the tables' identity addresses are unmapped");
            assertEquals(reserved, r.faultAddress());
            h.cpu().rip = 0x2000;
            h.cpu().gpr[3] = CpuHarness.SYSTEM_PAGE;
            r = h.run(10);
            assertEquals(14, r.vector());
            assertEquals(7, r.errorCode(), "present | write | user: the GDT/TSS page is supervisor-only");
            assertEquals(CpuHarness.SYSTEM_PAGE, r.faultAddress());
        }
    }

    @Test
    void setPageMakesAPageNotPresentOrNoExecute() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            h.load(0x3000, bytes(0x90, 0x90));
            h.setPage(0x3000, true, true, true, false);
            h.cpu().rip = 0x3000;
            CpuHarness.Result r = h.run(10);
            assertEquals(14, r.vector());
            assertEquals(0x15, r.errorCode(), "present | user | fetch");
            h.setPage(0x3000, false, true, true, true);
            r = h.run(10);
            assertEquals(0x14, r.errorCode(), "user | fetch, not present");
            h.setPage(0x3000, true, true, true, true);
            r = h.run(2);
            assertFalse(r.faulted());
            assertEquals(0x3002, h.cpu().rip);
        }
    }

    @Test
    void privilegedInstructionsFaultAtCpl3() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            h.load(0x1000, bytes(0xF4));                 // hlt
            h.cpu().rip = 0x1000;
            CpuHarness.Result r = h.run(10);
            assertEquals(13, r.vector());
            assertEquals(0, r.errorCode());
            h.load(0x1000, bytes(0x0F, 0x20, 0xC0));     // mov rax, cr0
            r = h.run(10);
            assertEquals(13, r.vector());
            h.load(0x1000, bytes(0xE6, 0x80));           // out 0x80, al
            r = h.run(10);
            assertEquals(13, r.vector());
        }
    }
}
