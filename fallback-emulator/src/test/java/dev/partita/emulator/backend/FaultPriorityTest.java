package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Which fault wins, and what it reports, where the SDM and this host agree (found by the
 * differential test; these cases also run without the native oracle): reserved control
 * registers, INS/OUTS I/O permission, and accesses straddling into a faulting page. At CPL 3.
 */
class FaultPriorityTest {

    private static final long CODE = 0x1000;

    private static CpuHarness.Result runOne(CpuHarness h, int... bytes) {
        byte[] code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            code[i] = (byte) bytes[i];
        }
        h.load(CODE, code);
        h.cpu().rip = CODE;
        return h.run(1);
    }

    @Test
    void reservedControlRegistersAreUndefinedBeforeThePrivilegeCheck() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            assertEquals(6, runOne(h, 0x0F, 0x20, 0xE8).vector(), "mov rax, cr5");
            assertEquals(6, runOne(h, 0x44, 0x0F, 0x20, 0xC8).vector(), "mov rax, cr9");
            assertEquals(6, runOne(h, 0x0F, 0x22, 0xC8).vector(), "mov cr1, rax");
            CpuHarness.Result valid = runOne(h, 0x0F, 0x20, 0xC0); // mov rax, cr0
            assertEquals(13, valid.vector(), "a valid CR at CPL 3 is #GP");
            assertEquals(0, valid.errorCode());
        }
    }

    @Test
    void stringIoChecksThePermissionBeforeMemoryAndTheCount() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            h.cpu().gpr[1] = 0; // RCX = 0: REP INS would do nothing if the check came after the count
            CpuHarness.Result repIns = runOne(h, 0xF3, 0x6C);
            assertEquals(13, repIns.vector(), "rep insb with RCX=0 at CPL 3, IOPL 0");
            h.setPage(0x300000, false, false, true, false);
            h.cpu().gpr[6] = 0x300000; // RSI on a not-present page
            CpuHarness.Result outs = runOne(h, 0x6E);
            assertEquals(13, outs.vector(), "outsb: #GP(0) before the #PF of its source");
            assertEquals(0, outs.errorCode());
        }
    }

    @Test
    void accessesStraddlingIntoAFaultingPageReportItsFirstByte() {
        try (CpuHarness h = CpuHarness.long64User(4 << 20)) {
            h.setPage(0x201000, false, false, true, false);
            h.cpu().gpr[7] = 0x200FFE;
            h.ram().set(ValueLayout.JAVA_SHORT_UNALIGNED, 0x200FFE, (short) 0x1234);

            CpuHarness.Result rmw = runOne(h, 0x01, 0x07); // add [rdi], eax
            assertEquals(14, rmw.vector());
            assertEquals(0x201000, rmw.faultAddress(), "CR2 = first byte of the faulting page");
            assertEquals(6, rmw.errorCode(), "user write, not present");

            CpuHarness.Result write = runOne(h, 0x48, 0x89, 0x07); // mov [rdi], rax
            assertEquals(0x201000, write.faultAddress());
            assertEquals(6, write.errorCode());

            CpuHarness.Result read = runOne(h, 0x8B, 0x07); // mov eax, [rdi]
            assertEquals(0x201000, read.faultAddress());
            assertEquals(4, read.errorCode());

            assertEquals(0x1234, h.ram().get(ValueLayout.JAVA_SHORT_UNALIGNED, 0x200FFE), "nothing written before the fault");
        }
    }
}
