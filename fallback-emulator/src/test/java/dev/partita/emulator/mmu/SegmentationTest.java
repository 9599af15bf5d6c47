package dev.partita.emulator.mmu;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import dev.partita.emulator.cpu.Vectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentationTest {

    private final PagingFixture f = new PagingFixture(4 << 20);

    @AfterEach
    void close() {
        f.close();
    }

    private void protectedMode() {
        f.cpu.cr0 = Cr0.PE | Cr0.ET;
        f.cpu.updateMode();
    }

    private static CpuException fault(Runnable r) {
        return assertThrows(CpuException.class, r::run);
    }

    @Test
    void realModeAddsSelectorTimesSixteenAndChecksTheLimit() {
        f.cpu.seg[SegReg.DS].loadReal(0x1234);
        f.putU32(0x12340 + 0x10, 0xABCD);
        assertEquals(0xABCD, f.mmu.readU16(SegReg.DS, 0x10));
        // Real mode ignores types: CS is writable.
        f.cpu.seg[SegReg.CS].loadReal(0);
        f.mmu.writeU8(SegReg.CS, 0x20, 7);
        assertEquals(7, f.ram.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0x20));
        CpuException e = fault(() -> f.mmu.readU16(SegReg.DS, 0xFFFF));
        assertEquals(Vectors.GP, e.vector());
        assertEquals(Vectors.SS, fault(() -> f.mmu.readU32(SegReg.SS, 0xFFFE)).vector());
    }

    @Test
    void protectedModeLimitsAndRights() {
        protectedMode();
        int roData = Segment.ATTR_P | Segment.ATTR_S | Segment.ATTR_ACCESSED;
        f.cpu.seg[SegReg.DS].load(0x10, 0x1000, 0xFFF, roData);
        f.putU32(0x1FFC, 99);
        assertEquals(99, f.mmu.readU32(SegReg.DS, 0xFFC));
        assertEquals(Vectors.GP, fault(() -> f.mmu.readU32(SegReg.DS, 0xFFD)).vector(), "crosses the limit");
        assertEquals(Vectors.GP, fault(() -> f.mmu.writeU8(SegReg.DS, 0, 1)).vector(), "read-only data");
        int execOnly = Segment.ATTR_P | Segment.ATTR_S | Segment.ATTR_CODE;
        f.cpu.seg[SegReg.ES].load(0x18, 0, 0xFFFF_FFFFL, execOnly);
        assertEquals(Vectors.GP, fault(() -> f.mmu.readU8(SegReg.ES, 0)).vector(), "execute-only code");
        f.cpu.seg[SegReg.FS].load(0, 0, 0, Segment.ATTR_UNUSABLE);
        CpuException e = fault(() -> f.mmu.readU8(SegReg.FS, 0));
        assertEquals(Vectors.GP, e.vector(), "null selector");
        assertEquals(0, e.errorCode());
    }

    @Test
    void expandDownStackSegment() {
        protectedMode();
        int down = Segment.ATTR_P | Segment.ATTR_S | Segment.ATTR_RW | Segment.ATTR_DC | Segment.ATTR_DB;
        f.cpu.seg[SegReg.SS].load(0x20, 0, 0xFFFF, down);   // valid offsets 0x10000..0xFFFFFFFF
        f.cpu.updateMode();
        f.mmu.writeU32(SegReg.SS, 0x10000, 5);
        assertEquals(5, f.mmu.readU32(SegReg.SS, 0x10000));
        CpuException e = fault(() -> f.mmu.readU32(SegReg.SS, 0xFFFF));
        assertEquals(Vectors.SS, e.vector());
        assertEquals(0, e.errorCode());
    }

    @Test
    void sixtyFourBitModeUsesOnlyFsGsBasesAndChecksCanonicalForm() {
        f.longMode();
        f.map4k(0x5000, 0x20_0000, PagingFixture.P | PagingFixture.RW);
        f.putU32(0x20_0010, 1234);
        f.cpu.seg[SegReg.DS].load(0x10, 0x9999_0000L, 0, Segment.ATTR_P | Segment.ATTR_S); // base and limit ignored
        assertEquals(1234, f.mmu.readU32(SegReg.DS, 0x5010));
        f.cpu.seg[SegReg.FS].base = 0x5000;
        assertEquals(1234, f.mmu.readU32(SegReg.FS, 0x10));
        assertEquals(Vectors.GP, fault(() -> f.mmu.readU8(SegReg.DS, 0x0000_8000_0000_0000L)).vector());
        assertEquals(Vectors.SS, fault(() -> f.mmu.readU8(SegReg.SS, 0x0000_8000_0000_0000L)).vector());
    }
}
