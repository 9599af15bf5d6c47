package dev.partita.hv.memory;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GuestMemoryTest {

    @Test
    void scalarRoundTripIsLittleEndianAndZeroExtended() {
        try (GuestMemory m = GuestMemory.allocate(1 << 20)) {
            m.writeU64(0x1000, 0x8877665544332211L);
            assertEquals(0x11, m.readU8(0x1000));
            assertEquals(0x2211, m.readU16(0x1000));
            assertEquals(0x44332211L, m.readU32(0x1000));
            assertEquals(0x8877665544332211L, m.readU64(0x1000));
            m.writeU32(0x2001, 0xFFFFFFFF);
            assertEquals(0xFFFFFFFFL, m.readU32(0x2001), "unaligned u32, zero-extended");
            m.writeU8(0x3000, 0x1FF);
            assertEquals(0xFF, m.readU8(0x3000), "only the low byte is stored");
        }
    }

    @Test
    void freshMemoryReadsZero() {
        try (GuestMemory m = GuestMemory.allocate(64 << 20)) {
            assertEquals(0, m.readU64(0));
            assertEquals(0, m.readU64((64 << 20) - 8));
        }
    }

    @Test
    void accessesOutsideRamFailNamingTheAddress() {
        try (GuestMemory m = GuestMemory.allocate(0x10000)) {
            GuestMemoryException e = assertThrows(GuestMemoryException.class, () -> m.readU32(0xFFFE));
            assertEquals(0xFFFE, e.gpa());
            assertEquals(4, e.length());
            assertTrue(e.getMessage().contains("0xfffe"), e.getMessage());
            assertThrows(GuestMemoryException.class, () -> m.writeU8(0x10000, 1));
            assertThrows(GuestMemoryException.class, () -> m.readU8(-1));
            assertThrows(GuestMemoryException.class, () -> m.read(0xFF00, new byte[0x101], 0, 0x101));
            assertThrows(GuestMemoryException.class, () -> m.segment(0, 0x10001));
            assertThrows(GuestMemoryException.class, () -> m.fill(0x8000, -1, (byte) 0));
            assertThrows(GuestMemoryException.class, () -> m.copy(0, Long.MAX_VALUE - 4, 8));
            assertDoesNotThrow(() -> m.readU64(0xFFF8));
        }
    }

    @Test
    void aFailedWriteTouchesNothing() {
        try (GuestMemory m = GuestMemory.allocate(0x2000)) {
            byte[] data = new byte[0x100];
            java.util.Arrays.fill(data, (byte) 0x55);
            assertThrows(GuestMemoryException.class, () -> m.write(0x1F80, data));
            assertEquals(0, m.readU64(0x1F80));
            assertEquals(0, m.readU64(0x1FF8));
        }
    }

    @Test
    void regionsAreSortedAndTheGapIsNotRam() {
        try (GuestMemory m = GuestMemory.allocate(List.of(new RamRegionSpec(0x100000, 0x1000), new RamRegionSpec(0, 0x2000)))) {
            assertEquals(2, m.regions().size());
            assertEquals(0, m.regions().get(0).gpa());
            assertEquals(1, m.regions().get(1).index());
            m.writeU32(0x100ffc, 0xCAFEBABE);
            assertEquals(0xCAFEBABEL, m.readU32(0x100ffc));
            assertFalse(m.isRam(0x2000, 1));
            assertThrows(GuestMemoryException.class, () -> m.readU8(0x3000));
            assertThrows(GuestMemoryException.class, () -> m.read(0x1ff0, new byte[0x20], 0, 0x20), "spans the end of a region");
            assertEquals(0x3000, m.totalSize());
        }
    }

    @Test
    void overlappingRegionsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> GuestMemory.allocate(List.of(new RamRegionSpec(0, 0x2000), new RamRegionSpec(0x1000, 0x1000))));
        assertThrows(IllegalArgumentException.class, () -> new RamRegionSpec(0x10, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> new RamRegionSpec(0, 0x1001));
    }

    @Test
    void bulkCopyFillAndSegmentView() {
        try (GuestMemory m = GuestMemory.allocate(0x10000)) {
            m.write(0x100, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            m.copy(0x100, 0x104, 8);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8}, m.read(0x100, 12), "memmove semantics");
            m.fill(0x200, 16, (byte) 0xAB);
            assertEquals(0xABABABABABABABABL, m.readU64(0x208));
            assertEquals(0, m.readU8(0x210));
            MemorySegment view = m.segment(0x300, 0x10);
            view.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0xF, (byte) 9);
            assertEquals(9, m.readU8(0x30F));
            assertThrows(IndexOutOfBoundsException.class, () -> view.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0x10));
            MemorySegment dst = MemorySegment.ofArray(new byte[4]);
            m.read(0x100, dst);
            assertEquals(0x04030201, dst.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0));
        }
    }

    @Test
    void accessAfterCloseFailsInsteadOfCrashing() {
        GuestMemory m = GuestMemory.allocate(0x1000);
        m.close();
        assertThrows(IllegalStateException.class, () -> m.readU8(0));
        m.close();
    }

    @Test
    void dirtyPagesRecordHostWritesWhileTrackingAndBackendPages() {
        try (GuestMemory m = GuestMemory.allocate(0x100000)) {
            m.writeU8(0x5000, 1);
            assertEquals(0, m.collectDirtyPages().count(), "not tracking yet");
            m.setDirtyTracking(true);
            m.writeU32(0x1ffe, 7);            // spans pages 1 and 2
            m.fill(0x10000, 0x2000, (byte) 1); // pages 16, 17
            m.setDirtyLogSource((region, bitmap) -> bitmap[0] |= 1L << 40);
            DirtyPages d = m.collectDirtyPages();
            assertEquals(5, d.count());
            assertTrue(d.isDirty(0x1000));
            assertTrue(d.isDirty(0x2fff));
            assertTrue(d.isDirty(0x11000));
            assertTrue(d.isDirty(40 * 4096L));
            assertFalse(d.isDirty(0x5000));
            List<Long> pages = new ArrayList<>();
            d.forEach(pages::add);
            assertEquals(List.of(0x1000L, 0x2000L, 0x10000L, 0x11000L, 40 * 4096L), pages);
            m.setDirtyLogSource(null);
            assertEquals(0, m.collectDirtyPages().count(), "collection resets the record");
        }
    }
}
