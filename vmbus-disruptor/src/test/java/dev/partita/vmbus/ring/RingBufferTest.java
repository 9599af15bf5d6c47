package dev.partita.vmbus.ring;

import dev.partita.hv.memory.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The Hyper-V ring format: packet layout, wrap-around, "never full", and the signalling rules. */
class RingBufferTest {
    private final GuestMemory memory = GuestMemory.allocate(1L << 20);

    @AfterEach
    void close() {
        memory.close();
    }

    /** Header page 40, data pages 50, 45, 60 (scattered: exercises the per-page path). */
    private RingBuffer scattered() {
        return RingBuffer.fromPages(memory, new long[]{40, 50, 45, 60}, 0, 4);
    }

    private RingBuffer contiguous() {
        return RingBuffer.fromPages(memory, new long[]{70, 71, 72, 73}, 0, 4);
    }

    @Test
    void contiguousPagesBecomeOneSegmentScatteredOnesPerPage() {
        assertInstanceOf(ContiguousRingData.class, contiguous().data());
        assertInstanceOf(PagedRingData.class, scattered().data());
        assertEquals(3 * 4096, scattered().dataSize());
    }

    @Test
    void packetLayoutMatchesTheDescriptorFormat() throws Exception {
        RingBuffer ring = contiguous();
        RingWriter w = new RingWriter(ring);
        byte[] payload = {1, 2, 3, 4, 5};
        assertTrue(w.tryWrite(PacketType.DATA_IN_BAND, PacketType.FLAG_COMPLETION_REQUESTED, 0x1122334455667788L, payload, 0, 5));
        w.publish();
        long base = 71L << 12; // data area starts at the second page
        assertEquals(6, memory.readU16(base));          // type
        assertEquals(2, memory.readU16(base + 2));      // offset8: 16 bytes
        assertEquals(3, memory.readU16(base + 4));      // len8: 16 + 8 (5 padded)
        assertEquals(1, memory.readU16(base + 6));      // flags
        assertEquals(0x1122334455667788L, memory.readU64(base + 8));
        assertEquals(5, memory.readU8(base + 20));
        assertEquals(0, memory.readU8(base + 21));      // padding zeroed
        assertEquals(0L, memory.readU64(base + 24));    // trailer: start offset 0 << 32
        assertEquals(32, memory.readU32(70L << 12));    // write index in the header page
        assertEquals(0, memory.readU32((70L << 12) + 4));
    }

    @Test
    void packetsWrapAroundTheEndOfTheDataArea() throws Exception {
        RingBuffer ring = scattered();
        RingWriter w = new RingWriter(ring);
        RingReader r = new RingReader(ring, 1 << 16);
        PacketBuffer p = new PacketBuffer(16);
        int wrapped = 0;
        for (int i = 0; i < 500; i++) {
            int len = 1 + (i * 37) % 700;
            byte[] payload = new byte[len];
            Arrays.fill(payload, (byte) i);
            int before = w.free();
            assertTrue(w.tryWrite(PacketType.DATA_IN_BAND, 0, i, payload, 0, len), "packet " + i);
            w.publish();
            int start = ring.writeIndex();
            if (start < before && start > 0 && ring.readIndex() > start) {
                wrapped++;
            }
            assertTrue(r.next(p));
            assertEquals(i, p.transactionId());
            assertEquals(PacketType.align8(len), p.payloadLength());
            for (int k = 0; k < len; k++) {
                assertEquals((byte) i, p.bytes()[p.payloadOffset() + k], "byte " + k + " of packet " + i);
            }
            r.commit();
            assertFalse(r.next(p));
        }
        assertTrue(wrapped > 0, "the test wrapped the ring");
    }

    @Test
    void trailerHoldsTheStartOffsetAfterAWrap() throws Exception {
        RingBuffer ring = contiguous();
        ring.setReadIndex(3 * 4096 - 16);
        ring.setWriteIndex(3 * 4096 - 16);
        RingWriter w = new RingWriter(ring);
        assertTrue(w.tryWrite(PacketType.COMPLETION, 0, 7, new byte[8], 0, 8));
        w.publish();
        // descriptor 16 bytes at the last 16, payload 8 at 0, trailer at 8
        assertEquals((long) (3 * 4096 - 16) << 32, memory.readU64((71L << 12) + 8));
        assertEquals(16, ring.writeIndex());
        PacketBuffer p = new PacketBuffer(16);
        assertTrue(new RingReader(ring, 4096).next(p));
        assertEquals(PacketType.COMPLETION, p.type());
        assertEquals(7, p.transactionId());
    }

    @Test
    void aRingIsNeverFilledCompletely() throws Exception {
        RingBuffer ring = contiguous();
        RingWriter w = new RingWriter(ring);
        int size = ring.dataSize();
        // A packet taking all ring bytes could never be written (it would leave 0 free); 8 bytes less fits.
        int payloadFillingAll = size - 16 - 8;
        assertThrows(IllegalArgumentException.class,
                () -> w.tryWrite(PacketType.DATA_IN_BAND, 0, 1, new byte[payloadFillingAll], 0, payloadFillingAll));
        assertTrue(w.tryWrite(PacketType.DATA_IN_BAND, 0, 1, new byte[payloadFillingAll - 8], 0, payloadFillingAll - 8));
        assertEquals(8, w.free());
        assertFalse(w.tryWrite(PacketType.DATA_IN_BAND, 0, 2, new byte[0], 0, 0));
    }

    @Test
    void writerSignalsOnlyOnEmptyToNonEmptyWithMaskClear() throws Exception {
        RingBuffer ring = contiguous();
        RingWriter w = new RingWriter(ring);
        RingReader r = new RingReader(ring, 4096);
        PacketBuffer p = new PacketBuffer(16);
        w.tryWrite(6, 0, 1, new byte[8], 0, 8);
        assertTrue(w.publish(), "reader had caught up: signal");
        w.tryWrite(6, 0, 2, new byte[8], 0, 8);
        assertFalse(w.publish(), "reader still behind: no signal");
        r.next(p);
        r.next(p);
        r.commit();
        ring.setInterruptMask(1);
        w.tryWrite(6, 0, 3, new byte[8], 0, 8);
        assertFalse(w.publish(), "masked: no signal");
        r.next(p);
        r.commit();
        ring.setInterruptMask(0);
        w.tryWrite(6, 0, 4, new byte[8], 0, 8);
        assertTrue(w.publish());
        assertFalse(w.publish(), "nothing new: no signal");
    }

    @Test
    void readerSignalsWhenFreeSpaceCrossesThePendingSendSize() throws Exception {
        RingBuffer ring = contiguous();
        ring.setFeatureBits(RingBuffer.FEATURE_PENDING_SEND_SIZE);
        RingWriter w = new RingWriter(ring);
        RingReader r = new RingReader(ring, 1 << 16);
        PacketBuffer p = new PacketBuffer(16);
        int size = ring.dataSize();
        byte[] big = new byte[1000];
        while (w.tryWrite(6, 0, 0, big, 0, big.length)) {
            // fill
        }
        w.publish();
        int free = w.free();
        ring.setPendingSendSize(free + 2 * 1024 - 1); // signal once free space exceeds it: after two 1 KiB packets
        assertTrue(r.next(p));
        assertFalse(r.commit(), "one packet freed 1024 bytes: still at most the pending size");
        assertTrue(r.next(p));
        assertTrue(r.commit(), "second packet crosses the pending size");
        assertTrue(r.next(p));
        assertFalse(r.commit(), "already above: no second signal");
        ring.setFeatureBits(0);
        ring.setPendingSendSize(size - 1);
        while (r.next(p)) {
            // drain
        }
        assertFalse(r.commit(), "without the feature bit the reader never signals");
    }

    @Test
    void badIndicesAndDescriptorsAreReportedNotThrown() throws Exception {
        RingBuffer ring = contiguous();
        PacketBuffer p = new PacketBuffer(16);
        ring.setWriteIndex(3 * 4096);
        RingReader r = new RingReader(ring, 4096);
        assertThrows(RingCorruptException.class, () -> r.next(p));
        ring.setWriteIndex(12);
        assertThrows(RingCorruptException.class, () -> r.next(p), "unaligned");
        ring.setWriteIndex(16);
        assertThrows(RingCorruptException.class, () -> r.next(p), "fewer bytes than a packet");
        long base = 71L << 12;
        ring.setWriteIndex(64);
        memory.writeU64(base, 6 | 1L << 16 | 6L << 32); // offset8 = 1 (< descriptor)
        assertThrows(RingCorruptException.class, () -> r.next(p));
        memory.writeU64(base, 6 | 2L << 16 | 200L << 32); // len8 beyond published bytes
        assertThrows(RingCorruptException.class, () -> r.next(p));
        memory.writeU64(base, 6 | 9L << 16 | 4L << 32); // offset > length
        assertThrows(RingCorruptException.class, () -> r.next(p));
        ring.setReadIndex(-8);
        assertThrows(RingCorruptException.class, () -> new RingReader(ring, 4096));
        ring.setReadIndex(5000 * 8);
        assertThrows(RingCorruptException.class, () -> new RingWriter(ring).free());
    }

    @Test
    void hostWritesThroughTheRingAreDirtyTracked() throws Exception {
        RingBuffer ring = scattered();
        ring.setWriteIndex(3 * 4096 - 32);
        ring.setReadIndex(3 * 4096 - 32);
        RingWriter w = new RingWriter(ring);
        memory.collectDirtyPages();
        memory.setDirtyTracking(true);
        assertTrue(w.tryWrite(6, 0, 1, new byte[100], 0, 100)); // wraps from page 60 to page 50
        w.publish();
        var dirty = memory.collectDirtyPages();
        assertTrue(dirty.isDirty(40L << 12), "header");
        assertTrue(dirty.isDirty(60L << 12), "last data page");
        assertTrue(dirty.isDirty(50L << 12), "first data page after the wrap");
        assertFalse(dirty.isDirty(45L << 12), "untouched middle page");
        new RingReader(ring, 4096).next(new PacketBuffer(16));
        memory.setDirtyTracking(false);
    }

    @Test
    void pagesOutsideGuestMemoryAreRefused() {
        assertThrows(RuntimeException.class, () -> RingBuffer.fromPages(memory, new long[]{1, 1 << 20}, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> RingBuffer.fromPages(memory, new long[]{1, -1}, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> RingBuffer.fromPages(memory, new long[]{1}, 0, 1));
    }
}
