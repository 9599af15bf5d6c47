package dev.partita.vmbus.ring;

import dev.partita.hv.memory.GuestMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One direction of a VMBus channel's ring in guest memory: a 4 KiB header page (write index u32 @0,
 * read index u32 @4, interrupt mask u32 @8, pending send size u32 @12, feature bits u32 @64), then
 * the data area. Indices are byte offsets into the data area.
 *
 * <p>Built only from pages that {@link GuestMemory#segment} accepted, so no access can leave guest
 * RAM. Index loads are acquire, index stores release; {@link #fullFence()} separates an index
 * store from the following read of the other side's fields (the "virt_mb" of the protocol).
 */
public final class RingBuffer {
    public static final int PAGE_SIZE = 4096;
    public static final int WRITE_INDEX = 0;
    public static final int READ_INDEX = 4;
    public static final int INTERRUPT_MASK = 8;
    public static final int PENDING_SEND_SIZE = 12;
    public static final int FEATURE_BITS = 64;           // feature_bits.value; bit 0 = feat_pending_send_sz
    public static final int FEATURE_PENDING_SEND_SIZE = 1;

    private static final java.lang.invoke.VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment header;
    private final RingData data;
    private GuestMemory memory;      // set for rings built from guest pages: host writes are reported to it
    private long headerGpa;
    private long[] dataPageGpas;

    public RingBuffer(MemorySegment header, RingData data) {
        if (header.byteSize() < PAGE_SIZE) {
            throw new IllegalArgumentException("ring header needs a 4 KiB page, got " + header.byteSize() + " bytes");
        }
        if (data.size() < PAGE_SIZE || data.size() % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("ring data area must be whole pages, got " + data.size() + " bytes");
        }
        this.header = header;
        this.data = data;
    }

    /**
     * The ring made of guest pages {@code pfns[first .. first+count)}: the first is the header, the
     * rest the data area (one segment when they are contiguous).
     *
     * @throws IllegalArgumentException when count < 2 or a page is not guest RAM
     */
    public static RingBuffer fromPages(GuestMemory memory, long[] pfns, int first, int count) {
        if (count < 2 || first < 0 || first + count > pfns.length) {
            throw new IllegalArgumentException("ring of " + count + " pages at page " + first + " of a " + pfns.length + "-page GPADL");
        }
        MemorySegment header = memory.segment(gpa(pfns[first]), PAGE_SIZE);
        boolean contiguous = true;
        for (int i = first + 2; i < first + count && contiguous; i++) {
            contiguous = pfns[i] == pfns[i - 1] + 1;
        }
        RingData data;
        if (contiguous) {
            data = new ContiguousRingData(memory.segment(gpa(pfns[first + 1]), (long) (count - 1) * PAGE_SIZE));
        } else {
            MemorySegment[] pages = new MemorySegment[count - 1];
            for (int i = 0; i < pages.length; i++) {
                pages[i] = memory.segment(gpa(pfns[first + 1 + i]), PAGE_SIZE);
            }
            data = new PagedRingData(pages);
        }
        RingBuffer ring = new RingBuffer(header, data);
        ring.memory = memory;
        ring.headerGpa = gpa(pfns[first]);
        ring.dataPageGpas = new long[count - 1];
        for (int i = 0; i < count - 1; i++) {
            ring.dataPageGpas[i] = gpa(pfns[first + 1 + i]);
        }
        return ring;
    }

    /**
     * Reports host writes made through the segment views to guest memory (dirty-page tracking
     * and host-write observers): the header page, and the data bytes {@code [from, to)} (wrapping).
     */
    public void noteHostWrites(int from, int to) {
        if (memory == null) {
            return;
        }
        memory.noteHostWrite(headerGpa, PAGE_SIZE);
        if (from == to) {
            return;
        }
        int last = to == 0 ? dataPageGpas.length - 1 : (to - 1) >>> 12;
        int page = from >>> 12;
        while (true) {
            memory.noteHostWrite(dataPageGpas[page], PAGE_SIZE);
            if (page == last) {
                return;
            }
            page = page + 1 == dataPageGpas.length ? 0 : page + 1;
        }
    }

    private static long gpa(long pfn) {
        if (pfn < 0 || pfn > (Long.MAX_VALUE >>> 12)) {
            throw new IllegalArgumentException("PFN 0x" + Long.toHexString(pfn) + " out of range");
        }
        return pfn << 12;
    }

    public int dataSize() {
        return data.size();
    }

    public RingData data() {
        return data;
    }

    public int writeIndex() {
        return (int) INT.getAcquire(header, (long) WRITE_INDEX);
    }

    public void setWriteIndex(int v) {
        INT.setRelease(header, (long) WRITE_INDEX, v);
    }

    public int readIndex() {
        return (int) INT.getAcquire(header, (long) READ_INDEX);
    }

    public void setReadIndex(int v) {
        INT.setRelease(header, (long) READ_INDEX, v);
    }

    public int interruptMask() {
        return (int) INT.getAcquire(header, (long) INTERRUPT_MASK);
    }

    public void setInterruptMask(int v) {
        INT.setRelease(header, (long) INTERRUPT_MASK, v);
    }

    public int pendingSendSize() {
        return (int) INT.getAcquire(header, (long) PENDING_SEND_SIZE);
    }

    public void setPendingSendSize(int v) {
        INT.setRelease(header, (long) PENDING_SEND_SIZE, v);
    }

    public int featureBits() {
        return (int) INT.getAcquire(header, (long) FEATURE_BITS);
    }

    public void setFeatureBits(int v) {
        INT.setRelease(header, (long) FEATURE_BITS, v);
    }

    /** Full fence between an index store and reading the peer's mask / index / pending size. */
    public static void fullFence() {
        VarHandle.fullFence();
    }

    /** Copies {@code len} bytes starting at ring offset {@code at} (wrapping at the end) into {@code dst}. */
    public void copyOut(int at, byte[] dst, int off, int len) {
        int size = data.size();
        int first = Math.min(len, size - at);
        data.read(at, dst, off, first);
        if (first < len) {
            data.read(0, dst, off + first, len - first);
        }
    }

    /** Copies {@code len} bytes of {@code src} to ring offset {@code at}, wrapping at the end. */
    public void copyIn(int at, byte[] src, int off, int len) {
        int size = data.size();
        int first = Math.min(len, size - at);
        data.write(at, src, off, first);
        if (first < len) {
            data.write(0, src, off + first, len - first);
        }
    }

    /** Offset {@code at + n} modulo the data size ({@code 0 <= at < size}, {@code 0 <= n <= size}). */
    public int advance(int at, int n) {
        int r = at + n;
        int size = data.size();
        return r >= size ? r - size : r;
    }

    /** Bytes the reader may consume: between read and write, both already validated. */
    public int used(int read, int write) {
        return write >= read ? write - read : data.size() - read + write;
    }

    /** Checks a guest-supplied index: inside the data area and 8-byte aligned. */
    public void checkIndex(String what, int index) throws RingCorruptException {
        if (index < 0 || index >= data.size() || (index & 7) != 0) {
            throw new RingCorruptException(what + " 0x" + Integer.toHexString(index) + " is outside the "
                    + data.size() + "-byte data area or not 8-byte aligned");
        }
    }
}
