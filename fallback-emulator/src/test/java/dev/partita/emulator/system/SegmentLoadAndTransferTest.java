package dev.partita.emulator.system;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.MsrIndex;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Vectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentLoadAndTransferTest {

    private final SystemFixture f = new SystemFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static CpuException fault(Runnable r) {
        return assertThrows(CpuException.class, r::run);
    }

    @Test
    void movSregChecksCarrySelectorErrorCodes() {
        f.protectedMode(0);
        f.gdt(0x48, SystemFixture.descriptor(0, 0xFFFFF, 0x13, 0xC));  // data, not present
        f.gdt(0x50, SystemFixture.descriptor(0, 0xFFFFF, 0x91, 0xC));  // read-only data
        f.gdt(0x58, SystemFixture.descriptor(0, 0xFFFFF, 0x99, 0xC));  // execute-only code
        f.cpu.gdtrLimit = 0x5F;
        CpuException e = fault(() -> f.unit.loadSegment(SegReg.DS, 0x48));
        assertEquals(Vectors.NP, e.vector());
        assertEquals(0x48, e.errorCode());
        e = fault(() -> f.unit.loadSegment(SegReg.SS, 0x50));
        assertEquals(Vectors.GP, e.vector(), "SS must be writable");
        assertEquals(0x50, e.errorCode());
        e = fault(() -> f.unit.loadSegment(SegReg.DS, 0x58));
        assertEquals(Vectors.GP, e.vector(), "execute-only code is not readable");
        e = fault(() -> f.unit.loadSegment(SegReg.ES, 0x60));
        assertEquals(Vectors.GP, e.vector(), "beyond the GDT limit");
        assertEquals(0x60, e.errorCode());
        e = fault(() -> f.unit.loadSegment(SegReg.SS, 0x13));
        assertEquals(Vectors.GP, e.vector(), "RPL != CPL for SS");
        assertEquals(0x10, e.errorCode());
        e = fault(() -> f.unit.loadSegment(SegReg.SS, 0));
        assertEquals(0, e.errorCode(), "null SS outside 64-bit mode");
        f.unit.loadSegment(SegReg.DS, 0);
        assertTrue(f.cpu.seg[SegReg.DS].unusable());
        f.unit.loadSegment(SegReg.DS, 0x50);
        assertTrue((f.u64(SystemFixture.GDT + 0x50) & (1L << 40)) != 0, "accessed bit written back");
    }

    @Test
    void ldtSelectorsGoThroughTheLdtr() {
        f.protectedMode(0);
        long ldt = 0x7000;
        f.put64(ldt + 8, SystemFixture.descriptor(0x12340, 0xFFFF, 0x93, 0x4));
        f.gdt(0x48, SystemFixture.descriptor(ldt, 0x0F, 0x82, 0));
        f.cpu.gdtrLimit = 0x4F;
        CpuException e = fault(() -> f.unit.loadSegment(SegReg.FS, 0x0C));
        assertEquals(0x0C, e.errorCode(), "no LDT loaded");
        f.unit.lldt(0x48);
        f.unit.loadSegment(SegReg.FS, 0x0C);
        assertEquals(0x12340, f.cpu.seg[SegReg.FS].base);
        assertEquals(0x48, f.unit.sldt());
        e = fault(() -> f.unit.loadSegment(SegReg.FS, 0x14));
        assertEquals(0x14, e.errorCode(), "beyond the LDT limit");
    }

    @Test
    void farJumpCallAndReturnInProtectedMode() {
        f.protectedMode(0);
        f.gdt(0x48, SystemFixture.descriptor(0x1000, 0xFFFF, 0x9B, 0x4)); // 32-bit code, base 0x1000
        f.cpu.gdtrLimit = 0x4F;
        f.cpu.gpr[4] = 0x8000;
        f.cpu.rip = 0x100;
        f.unit.farCall(0x48, 0x20, 4, 0x107);
        assertEquals(0x48, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0x1000, f.cpu.seg[SegReg.CS].base);
        assertEquals(0x20, f.cpu.rip);
        assertEquals(0x107, f.u32(0x7FF8));
        assertEquals(0x08, f.u32(0x7FFC));
        f.unit.farReturn(4, 0);
        assertEquals(0x08, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0x107, f.cpu.rip);
        assertEquals(0x8000, f.cpu.gpr[4]);
        CpuException e = fault(() -> f.unit.farJump(0x48, 0x10000, 4));
        assertEquals(Vectors.GP, e.vector(), "offset beyond the limit");
        e = fault(() -> f.unit.farJump(0x10, 0, 4));
        assertEquals(0x10, e.errorCode(), "data segment is no jump target");
    }

    @Test
    void enteringLongModeSetsLmaAndLeavingClearsIt() {
        f.protectedMode(0);
        CpuException e = fault(() -> f.unit.movToCr(4, 1L << 12));
        assertEquals(Vectors.GP, e.vector(), "LA57 unsupported");
        f.unit.msrs.write(MsrIndex.EFER, Efer.LME);
        e = fault(() -> f.unit.movToCr(0, f.cpu.cr0 | Cr0.PG));
        assertEquals(Vectors.GP, e.vector(), "paging with LME needs PAE");
        f.put64(0x10_0000, 0);
        f.unit.movToCr(3, 0x10_0000);
        f.unit.movToCr(4, Cr4.PAE);
        f.unit.movToCr(0, f.cpu.cr0 | Cr0.PG);
        assertTrue(f.cpu.longModeActive());
        assertFalse(f.cpu.longMode64, "compatibility mode until a 64-bit CS is loaded");
        e = fault(() -> f.unit.msrs.write(MsrIndex.EFER, 0));
        assertEquals(Vectors.GP, e.vector(), "LME cannot change with paging on");
        f.unit.movToCr(0, f.cpu.cr0 & ~Cr0.PG);
        assertFalse(f.cpu.longModeActive());
    }

    @Test
    void syscallAndSysretUseStarLstarAndSfmask() {
        f.longMode(3);
        f.cpu.efer |= Efer.SCE;
        f.cpu.star = (0x23L << 48) | (0x30L << 32);   // SYSRET base 0x23 -> CS 0x33, SS 0x2B; SYSCALL CS 0x30
        f.cpu.lstar = 0xFFFF_8000_0000_1000L;
        f.cpu.sfmask = RFlags.IF | RFlags.DF;
        f.cpu.setRflags(RFlags.FIXED1 | RFlags.IF | RFlags.DF | RFlags.CF);
        f.unit.syscall(0x4002);
        assertEquals(0, f.cpu.cpl);
        assertEquals(0x30, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0x38, f.cpu.seg[SegReg.SS].selector);
        assertEquals(0xFFFF_8000_0000_1000L, f.cpu.rip);
        assertEquals(0x4002, f.cpu.gpr[1]);
        assertEquals(RFlags.FIXED1 | RFlags.IF | RFlags.DF | RFlags.CF, f.cpu.gpr[11]);
        assertEquals(RFlags.FIXED1 | RFlags.CF, f.cpu.rflags());
        f.unit.sysret(8);
        assertEquals(3, f.cpu.cpl);
        assertEquals(0x33, f.cpu.seg[SegReg.CS].selector);
        assertEquals(0x2B, f.cpu.seg[SegReg.SS].selector);
        assertEquals(0x4002, f.cpu.rip);
        assertTrue(f.cpu.longMode64);
        assertTrue(f.cpu.interruptsEnabled());
        CpuException e = fault(() -> f.unit.sysret(8));
        assertEquals(Vectors.GP, e.vector(), "SYSRET at CPL 3");
    }

    @Test
    void swapgsAndMsrAccess() {
        f.longMode(0);
        f.unit.msrs.write(MsrIndex.GS_BASE, 0x1000);
        f.unit.msrs.write(MsrIndex.KERNEL_GS_BASE, 0x2000);
        f.unit.swapgs();
        assertEquals(0x2000, f.cpu.seg[SegReg.GS].base);
        assertEquals(0x1000, f.unit.msrs.read(MsrIndex.KERNEL_GS_BASE));
        CpuException e = fault(() -> f.unit.msrs.write(MsrIndex.LSTAR, 0x0000_8000_0000_0000L));
        assertEquals(Vectors.GP, e.vector(), "non-canonical LSTAR");
        assertThrows(ExitSignal.class, () -> f.unit.msrs.read(0x4000_0000), "unknown MSR leaves as an exit");
        assertEquals(new dev.partita.hv.exit.VcpuExit.MsrRead(0x4000_0000), f.unit.replay.pending());
    }
}
