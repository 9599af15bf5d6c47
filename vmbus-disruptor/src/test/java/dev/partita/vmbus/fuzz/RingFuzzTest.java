package dev.partita.vmbus.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;
import dev.partita.vmbus.ring.RingWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes ring contents directly: the input becomes the header fields and data bytes of a 3-page
 * ring (scattered pages). Reading must yield packets whose payload lies inside the bytes consumed
 * and inside the published area, or a {@link RingCorruptException}; writing against a fuzzed read
 * index must write inside the free space or report corruption. Nothing else may be thrown.
 */
class RingFuzzTest {
    private static final GuestMemory MEMORY = GuestMemory.allocate(64 * 1024);
    static long executions;

    @AfterAll
    static void report() {
        System.out.println("RingFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyRingContents(byte[] data) {
        run(data);
    }

    @Test
    void randomRingsKeepThePropertiesUp() {
        SplittableRandom rng = new SplittableRandom(77);
        for (int n = 0; n < 3000; n++) {
            byte[] b = new byte[rng.nextInt(0, 600)];
            rng.nextBytes(b);
            for (int i = 0; i + 8 <= b.length; i += 8) { // many plausible descriptors
                if (rng.nextInt(3) == 0) {
                    b[i] = 6;
                    b[i + 1] = 0;
                    b[i + 2] = 2;
                    b[i + 3] = 0;
                    b[i + 4] = (byte) rng.nextInt(2, 12);
                    b[i + 5] = 0;
                }
            }
            run(b);
        }
    }

    static void run(byte[] data) {
        executions++;
        FuzzScript s = new FuzzScript(data);
        long[] pfns = {3, 9, 5, 12}; // header page 3, data pages 9, 5, 12
        RingBuffer ring = RingBuffer.fromPages(MEMORY, pfns, 0, 4);
        int size = ring.dataSize();
        MEMORY.fill(3 * 4096, 4096, (byte) 0);
        ring.setWriteIndex(s.u8() % 4 == 0 ? s.u32() : (s.u16() % size) & ~7);
        ring.setReadIndex(s.u8() % 4 == 0 ? s.u32() : (s.u16() % size) & ~7);
        ring.setInterruptMask(s.u8() & 1);
        ring.setPendingSendSize(s.u8() % 2 == 0 ? 0 : s.u16());
        ring.setFeatureBits(s.u8() & 1);
        int maxPacket = 1 + s.u16() % 8192;
        byte[] content = s.bytes(size);
        int start = Integer.remainderUnsigned(ring.readIndex(), size) & ~7; // the bytes the reader looks at first
        ring.copyIn(start, content, 0, content.length);

        PacketBuffer p = new PacketBuffer(16);
        try {
            RingReader r = new RingReader(ring, maxPacket);
            int avail = r.available();
            int consumed = 0;
            for (int i = 0; i < 1000 && r.next(p); i++) {
                int total = p.payloadOffset() + p.payloadLength();
                assertTrue(p.payloadOffset() >= 16 && total <= maxPacket, "packet inside its limit");
                consumed += total + 8;
                assertTrue(consumed <= avail, "never past the published bytes");
            }
            r.commit();
        } catch (RingCorruptException expected) {
            // reported, as it must be
        }
        try {
            RingWriter w = new RingWriter(ring);
            int free = w.free();
            int len = s.u16() % 4096;
            if (PacketBufferSizes.fits(len, size)) {
                boolean wrote = w.tryWrite(6, 0, 1, new byte[len], 0, len);
                assertEquals(free > RingWriter.bytesNeeded(len), wrote, "written exactly when it leaves a byte free");
                w.publish();
            }
        } catch (RingCorruptException expected) {
            // reported
        }
    }

    /** Whether a packet could ever fit a ring of {@code size} data bytes (else tryWrite refuses by exception). */
    private static final class PacketBufferSizes {
        static boolean fits(int len, int size) {
            return RingWriter.bytesNeeded(len) < size;
        }
    }
}
