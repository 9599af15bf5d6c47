package dev.partita.devices.storage;

import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.devices.storage.scsi.DataBuffer;
import dev.partita.hv.memory.GuestMemory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The data buffer of one SRB: the first {@code length} bytes of the guest pages named by a
 * GPA-direct packet's ranges, in order. Every page is checked against guest RAM when the buffer
 * is built; pages contiguous in guest-physical memory (and in one RAM region) are merged into one
 * segment so the disk backend can do one I/O for them.
 *
 * <p><b>Threads.</b> Immutable after construction; segments are views of guest memory.
 */
public final class GuestPagesBuffer implements DataBuffer {
    private final GuestMemory memory;
    private final long[] chunkGpa;
    private final long[] chunkLen;
    private final long length;

    private GuestPagesBuffer(GuestMemory memory, long[] chunkGpa, long[] chunkLen, long length) {
        this.memory = memory;
        this.chunkGpa = chunkGpa;
        this.chunkLen = chunkLen;
        this.length = length;
    }

    /**
     * The buffer of {@code length} bytes described by {@code ranges}.
     *
     * @throws MalformedPacketException when the ranges hold fewer than {@code length} bytes or name
     *                                  a page outside guest RAM
     */
    public static GuestPagesBuffer of(GuestMemory memory, List<GpaDirectRange> ranges, long length) throws MalformedPacketException {
        long total = 0;
        for (GpaDirectRange r : ranges) {
            total += r.byteCount();
        }
        if (length > total) {
            throw new MalformedPacketException("transfer of " + length + " bytes but the ranges describe " + total);
        }
        List<long[]> chunks = new ArrayList<>();
        long left = length;
        for (GpaDirectRange r : ranges) {
            long inRange = Math.min(left, r.byteCount());
            long offset = r.byteOffset();
            for (int i = 0; i < r.pfnCount() && inRange > 0; i++) {
                long pfn = r.pfn(i);
                if (pfn < 0 || pfn > (Long.MAX_VALUE >>> 12) - 1) {
                    throw new MalformedPacketException("PFN 0x" + Long.toHexString(pfn) + " out of range");
                }
                long gpa = (pfn << 12) + offset;
                long n = Math.min(inRange, GuestMemory.PAGE_SIZE - offset);
                if (!memory.isRam(pfn << 12, GuestMemory.PAGE_SIZE)) {
                    throw new MalformedPacketException("PFN 0x" + Long.toHexString(pfn) + " is not guest RAM");
                }
                long[] last = chunks.isEmpty() ? null : chunks.getLast();
                if (last != null && last[0] + last[1] == gpa && memory.isRam(last[0], last[1] + n)) {
                    last[1] += n;
                } else {
                    chunks.add(new long[]{gpa, n});
                }
                inRange -= n;
                left -= n;
                offset = 0;
            }
            if (left == 0) {
                break;
            }
        }
        long[] g = new long[chunks.size()];
        long[] l = new long[chunks.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = chunks.get(i)[0];
            l[i] = chunks.get(i)[1];
        }
        return new GuestPagesBuffer(Objects.requireNonNull(memory), g, l, length);
    }

    @Override
    public long length() {
        return length;
    }

    /**
     * Announces that the first {@code len} bytes of this buffer were written by the host (a read from
     * the device into guest memory through {@link #segments} views), so the pages count as dirty for
     * migration and the emulator forgets any code it decoded from them
     * ({@link GuestMemory#noteHostWrite}). Called on the handler thread after the data is stored.
     */
    public void noteHostWritten(long len) {
        long want = Math.min(len, length);
        for (int i = 0; i < chunkGpa.length && want > 0; i++) {
            long n = Math.min(want, chunkLen[i]);
            memory.noteHostWrite(chunkGpa[i], n);
            want -= n;
        }
    }

    @Override
    public List<MemorySegment> segments(long offset, long len) {
        Objects.checkFromIndexSize(offset, len, length);
        List<MemorySegment> out = new ArrayList<>(2);
        long skip = offset;
        long want = len;
        for (int i = 0; i < chunkGpa.length && want > 0; i++) {
            if (skip >= chunkLen[i]) {
                skip -= chunkLen[i];
                continue;
            }
            long n = Math.min(want, chunkLen[i] - skip);
            out.add(memory.segment(chunkGpa[i] + skip, n));
            want -= n;
            skip = 0;
        }
        return out;
    }
}
