package dev.partita.emulator.system;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Vectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterruptDeliveryTest {

    private final SystemFixture f = new SystemFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void realModeGoesThroughTheIvtAndIretReturns() {
        f.cpu.idtrBase = 0;
        f.cpu.idtrLimit = 0x3FF;
        f.put16(0x21 * 4, 0x0020);
        f.put16(0x21 * 4 + 2, 0x1000);
        f.cpu.gpr[4] = 0x7000;
        f.cpu.setRflags(RFlags.FIXED1 | RFlags.IF | RFlags.TF | RFlags.CF);
        f.cpu.seg[SegReg.CS].loadReal(0x0700);
        f.cpu.rip = 0xC00;
        f.unit.intN(0x21, 0xC02);
        assertEquals(0x1000, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0x10000, f.cpu.seg[SegReg.CS].base);
        assertEquals(0x20, f.cpu.rip);
        assertEquals(0x6FFA, f.cpu.gpr[4]);
        assertEquals(0xC02, f.u16(0x6FFA), "IP");
        assertEquals(0x0700, f.u16(0x6FFC), "CS");
        assertEquals(0x303, f.u16(0x6FFE), "FLAGS image with IF, TF, CF");
        assertFalse(f.cpu.interruptsEnabled());
        assertEquals(0, f.cpu.rflags() & RFlags.TF);
        f.unit.iret(2);
        assertEquals(0x0700, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0xC02, f.cpu.rip);
        assertEquals(0x7000, f.cpu.gpr[4]);
        assertEquals(0x303, f.cpu.rflags() & 0xFFFF);
    }

    @Test
    void protectedModeFaultFromRing3SwitchesToTheTssStackAndPushesTheErrorCode() {
        f.protectedMode(3);
        f.put32(SystemFixture.TSS + 4, 0x9000);   // ESP0
        f.put32(SystemFixture.TSS + 8, 0x10);     // SS0
        f.gate32(Vectors.GP, 0x08, 0x5000, 0xE, 0);
        f.cpu.gpr[4] = 0x8000;
        f.cpu.rip = 0x4000;
        f.cpu.setRflags(RFlags.FIXED1 | RFlags.IF);
        f.unit.deliverException(CpuException.gp(0x1234));
        assertEquals(0, f.cpu.cpl);
        assertEquals(0x08, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0x10, f.cpu.seg[SegReg.SS].selector);
        assertEquals(0x5000, f.cpu.rip);
        long sp = f.cpu.gpr[4];
        assertEquals(0x9000 - 24, sp);
        assertEquals(0x1234, f.u32(sp));
        assertEquals(0x4000, f.u32(sp + 4));
        assertEquals(0x1B, f.u32(sp + 8));
        assertEquals(RFlags.FIXED1 | RFlags.IF, f.u32(sp + 12));
        assertEquals(0x8000, f.u32(sp + 16));
        assertEquals(0x23, f.u32(sp + 20));
        assertFalse(f.cpu.interruptsEnabled(), "interrupt gate clears IF");
        // Handler pops the error code and returns.
        f.cpu.gpr[4] = sp + 4;
        f.unit.iret(4);
        assertEquals(3, f.cpu.cpl);
        assertEquals(0x1B, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0x23, f.cpu.seg[SegReg.SS].selector);
        assertEquals(0x8000, f.cpu.gpr[4]);
        assertEquals(0x4000, f.cpu.rip);
        assertTrue(f.cpu.interruptsEnabled());
    }

    @Test
    void softwareInterruptThroughAGateWithLowerDplIsGeneralProtection() {
        f.protectedMode(3);
        f.put32(SystemFixture.TSS + 4, 0x9000);
        f.put32(SystemFixture.TSS + 8, 0x10);
        f.gate32(0x40, 0x08, 0x6000, 0xE, 0);           // DPL 0: not reachable by INT from CPL 3
        f.gate32(Vectors.GP, 0x08, 0x5000, 0xF, 0);
        f.cpu.gpr[4] = 0x8000;
        f.cpu.rip = 0x4000;
        f.unit.intN(0x40, 0x4002);
        assertEquals(0x5000, f.cpu.rip, "#GP handler");
        assertEquals(0x40 * 8 + 2, f.u32(f.cpu.gpr[4]), "error code names the IDT entry");
        assertEquals(0x4000, f.u32(f.cpu.gpr[4] + 4), "#GP is a fault: return to the INT");
    }

    @Test
    void longModeUsesIstAndRsp0AndLoadsANullSs() {
        f.longMode(3);
        f.put64(SystemFixture.TSS + 4, 0x9000);       // RSP0
        f.put64(SystemFixture.TSS + 36, 0xA008);      // IST1, not 16-byte aligned
        f.gate64(Vectors.PF, 0x30, 0x5000, 0xE, 0, 1);
        f.gate64(0x80, 0x30, 0x6000, 0xF, 3, 0);
        f.cpu.gpr[4] = 0x8000;
        f.cpu.rip = 0x4000;
        f.cpu.setRflags(RFlags.FIXED1 | RFlags.IF);
        f.unit.deliverException(CpuException.pageFault(6, 0xDEAD000L));
        assertEquals(0xDEAD000L, f.cpu.cr2);
        assertEquals(0, f.cpu.cpl);
        assertEquals(0x30, f.cpu.seg[SegReg.CS].selector);
        assertTrue(f.cpu.longMode64);
        assertEquals(0, f.cpu.seg[SegReg.SS].selector, "null SS with RPL 0");
        long sp = f.cpu.gpr[4];
        assertEquals(0xA000 - 48, sp, "IST stack aligned to 16");
        assertEquals(6, f.u64(sp));
        assertEquals(0x4000, f.u64(sp + 8));
        assertEquals(0x2B, f.u64(sp + 16));
        assertEquals(RFlags.FIXED1 | RFlags.IF, f.u64(sp + 24));
        assertEquals(0x8000, f.u64(sp + 32));
        assertEquals(0x23, f.u64(sp + 40));
        assertFalse(f.cpu.interruptsEnabled());
        // IRETQ back to CPL 3 (skip the error code).
        f.cpu.gpr[4] = sp + 8;
        f.unit.iret(8);
        assertEquals(3, f.cpu.cpl);
        assertEquals(0x2B, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0x23, f.cpu.seg[SegReg.SS].selector);
        assertEquals(0x8000, f.cpu.gpr[4]);
        assertTrue(f.cpu.interruptsEnabled());
        // INT 0x80 (trap gate, DPL 3): RSP0 stack, IF kept.
        f.unit.intN(0x80, 0x4002);
        assertEquals(0x6000, f.cpu.rip);
        assertEquals(0x9000 - 40, f.cpu.gpr[4]);
        assertEquals(0x4002, f.u64(f.cpu.gpr[4]));
        assertTrue(f.cpu.interruptsEnabled(), "trap gate keeps IF");
    }

    @Test
    void faultWhileDeliveringAContributoryFaultIsADoubleFaultAndThenATripleFault() {
        f.protectedMode(0);
        f.cpu.gpr[4] = 0x8000;
        f.gate32(Vectors.DF, 0x08, 0x7000, 0xE, 0);
        // No gate for #GP: delivering #GP raises #NP(13*8+2+1) -> contributory + contributory = #DF.
        f.unit.deliverException(CpuException.gp(0));
        assertEquals(0x7000, f.cpu.rip);
        assertEquals(0, f.u32(f.cpu.gpr[4]), "#DF error code 0");
        assertFalse(f.unit.shutdownRequested());
        // Without a #DF gate the next one is a triple fault.
        f.put64(SystemFixture.IDT + Vectors.DF * 8L, 0);
        f.unit.deliverException(CpuException.gp(0));
        assertTrue(f.unit.shutdownRequested());
    }

    @Test
    void pageFaultDuringPageFaultDeliveryIsADoubleFault() {
        f.longMode(0);
        f.put64(SystemFixture.TSS + 4, 0x9000);
        f.gate64(Vectors.PF, 0x30, 0x5000, 0xE, 0, 0);
        f.gate64(Vectors.DF, 0x30, 0x7000, 0xE, 0, 0);
        f.cpu.gpr[4] = 0x40_1000;                       // stack in unmapped memory (above 4 MiB)
        f.unit.deliverException(CpuException.pageFault(0, 0x123));
        assertTrue(f.unit.shutdownRequested(), "#PF pushing the #PF frame -> #DF on the same bad stack -> triple fault");
        f.unit.delivery.clearShutdown();
        f.put64(SystemFixture.TSS + 36, 0xB000);        // IST1 for #DF
        f.gate64(Vectors.DF, 0x30, 0x7000, 0xE, 0, 1);
        f.unit.deliverException(CpuException.pageFault(0, 0x123));
        assertFalse(f.unit.shutdownRequested());
        assertEquals(0x7000, f.cpu.rip, "#DF delivered on its IST stack");
        assertEquals(0xB000 - 48, f.cpu.gpr[4]);
        assertEquals(0, f.u64(f.cpu.gpr[4]), "#DF error code");
        assertEquals(0x123, f.cpu.cr2);
    }

    @Test
    void externalInterruptsWaitForIfAndTheShadow() {
        f.protectedMode(0);
        f.gate32(0x30, 0x08, 0x5000, 0xE, 0);
        f.cpu.gpr[4] = 0x8000;
        f.cpu.rip = 0x4000;
        f.interrupts.inject(0x30);
        f.cpu.setRflags(RFlags.FIXED1);
        assertFalse(f.unit.serviceEvents(), "IF=0");
        f.unit.sti();
        assertTrue(f.cpu.interruptShadow);
        assertFalse(f.unit.serviceEvents(), "shadow after STI");
        f.cpu.interruptShadow = false;
        f.cpu.halted = true;
        assertTrue(f.unit.serviceEvents());
        assertFalse(f.cpu.halted, "delivery wakes the CPU");
        assertEquals(0x5000, f.cpu.rip);
        assertEquals(0x4000, f.u32(f.cpu.gpr[4]), "returns to the interrupted instruction");
    }

    @Test
    void nmiIsBlockedUntilIret() {
        f.protectedMode(0);
        f.gate32(Vectors.NMI, 0x08, 0x5000, 0xE, 0);
        f.cpu.gpr[4] = 0x8000;
        f.interrupts.injectNmi();
        f.interrupts.injectNmi();
        assertTrue(f.unit.serviceEvents());
        assertTrue(f.cpu.nmiBlocked);
        assertFalse(f.unit.serviceEvents(), "second NMI waits");
        f.unit.iret(4);
        assertTrue(f.unit.serviceEvents());
    }
}
