package dev.partita.hv.state;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.memory.RamRegion;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Guest RAM as the payload of the {@code memory} section, zero pages left out:
 * <pre>
 * u32 region count
 * per region   u64 GPA, u64 size, u64 stored page count
 * per region   page bitmap, u64 words (bit n of word n/64 set = page n stored)
 * page data    the stored pages, region order then page order, 4 KiB each
 * </pre>
 * Saving scans each page once for non-zero bytes, then gathers the stored pages into an 8 MiB
 * buffer written with one sequential write each time it fills; restoring maps the page data of the
 * file, checksums it and copies each run of pages into guest RAM (no system call per page).
 * Pages the file does not store are left untouched (zero in a partition that never ran).
 *
 * <p>Threads: call with the partition's processors paused (or not started) and no device writing
 * guest memory.
 */
final class MemoryImage {
    private static final int PAGE = (int) GuestMemory.PAGE_SIZE;
    /** The most bytes moved by one read or write call. */
    private static final long CHUNK = 8L << 20;
    private static final MemorySegment ZERO_PAGE = MemorySegment.ofArray(new byte[PAGE]);

    private final GuestMemory memory;
    private final long[][] bitmaps;
    private final long[] stored;

    private MemoryImage(GuestMemory memory, long[][] bitmaps, long[] stored) {
        this.memory = memory;
        this.bitmaps = bitmaps;
        this.stored = stored;
    }

    /** Scans {@code memory} for pages that are not all zero. */
    static MemoryImage scan(GuestMemory memory) {
        List<RamRegion> regions = memory.regions();
        long[][] bitmaps = new long[regions.size()][];
        long[] stored = new long[regions.size()];
        for (int r = 0; r < regions.size(); r++) {
            RamRegion region = regions.get(r);
            MemorySegment seg = region.segment();
            long pages = region.pages();
            long[] bits = new long[(int) ((pages + 63) / 64)];
            for (long p = 0; p < pages; p++) {
                long off = p * PAGE;
                if (MemorySegment.mismatch(seg, off, off + PAGE, ZERO_PAGE, 0, PAGE) >= 0) {
                    bits[(int) (p >>> 6)] |= 1L << (p & 63);
                    stored[r]++;
                }
            }
            bitmaps[r] = bits;
        }
        return new MemoryImage(memory, bitmaps, stored);
    }

    /** Bytes of page data this image stores. */
    long storedBytes() {
        long n = 0;
        for (long s : stored) {
            n += s;
        }
        return n * PAGE;
    }

    /** The payload length. */
    long payloadLength() {
        long n = 4;
        for (long[] bits : bitmaps) {
            n += 24 + 8L * bits.length;
        }
        return n + storedBytes();
    }

    /** Writes the payload at the channel's position, updating {@code crc}. */
    void write(FileChannel out, CRC32C crc, StateProgress progress) throws IOException {
        List<RamRegion> regions = memory.regions();
        int words = 0;
        for (long[] bits : bitmaps) {
            words += bits.length;
        }
        ByteBuffer head = ByteBuffer.allocate(4 + 24 * regions.size() + 8 * words).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(regions.size());
        for (int r = 0; r < regions.size(); r++) {
            head.putLong(regions.get(r).gpa()).putLong(regions.get(r).size()).putLong(stored[r]);
        }
        for (long[] bits : bitmaps) {
            for (long w : bits) {
                head.putLong(w);
            }
        }
        head.flip();
        crc.update(head.duplicate());
        writeFully(out, head);
        long total = storedBytes();
        long done = 0;
        progress.update(0, total);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(CHUNK, PAGE);
            long filled = 0;
            for (int r = 0; r < regions.size(); r++) {
                MemorySegment seg = regions.get(r).segment();
                long pages = regions.get(r).pages();
                for (long p = 0; p < pages; p++) {
                    if (!isSet(bitmaps[r], p)) {
                        continue;
                    }
                    MemorySegment.copy(seg, p * PAGE, staging, filled, PAGE);
                    filled += PAGE;
                    if (filled == CHUNK) {
                        flush(out, crc, staging, filled);
                        done += filled;
                        filled = 0;
                        progress.update(done, total);
                    }
                }
            }
            flush(out, crc, staging, filled);
            progress.update(done + filled, total);
        }
    }

    /** Writes the first {@code length} bytes of {@code staging}, one sequential write. */
    private static void flush(FileChannel out, CRC32C crc, MemorySegment staging, long length) throws IOException {
        if (length == 0) {
            return;
        }
        ByteBuffer b = staging.asSlice(0, length).asByteBuffer();
        crc.update(b.duplicate());
        writeFully(out, b);
    }

    /**
     * Reads a payload of {@code length} bytes into {@code memory}, checking that its regions are
     * the memory's and that its counts agree with its length before reading any page.
     */
    static void read(ChannelInput in, long length, GuestMemory memory, CRC32C crc, StateProgress progress)
            throws IOException, StateFileException {
        List<RamRegion> regions = memory.regions();
        long payloadEnd = in.position() + length;
        int count = in.read(4, "the memory section").getInt();
        if (count != regions.size()) {
            throw new StateFileException("section 'memory': " + Integer.toUnsignedString(count)
                    + " RAM regions in the file, this VM has " + regions.size());
        }
        ByteBuffer table = in.read(24 * count, "the memory region table");
        crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(count).flip());
        crc.update(table.duplicate());
        long[] storedPages = new long[count];
        long[][] bitmaps = new long[count][];
        for (int r = 0; r < count; r++) {
            RamRegion region = regions.get(r);
            long gpa = table.getLong();
            long size = table.getLong();
            storedPages[r] = table.getLong();
            if (gpa != region.gpa() || size != region.size()) {
                throw new StateFileException(String.format("section 'memory': region %d is 0x%x+0x%x in the file, 0x%x+0x%x in this VM",
                        r, gpa, size, region.gpa(), region.size()));
            }
            bitmaps[r] = new long[(int) ((region.pages() + 63) / 64)];
        }
        long pageBytes = 0;
        for (int r = 0; r < count; r++) {
            ByteBuffer words = ByteBuffer.allocate(8 * bitmaps[r].length).order(ByteOrder.LITTLE_ENDIAN);
            in.fill(words, "the page bitmap of memory region " + r, crc);
            words.flip();
            long set = 0;
            long pages = regions.get(r).pages();
            for (int i = 0; i < bitmaps[r].length; i++) {
                long w = words.getLong();
                long valid = (long) (i + 1) * 64 <= pages ? -1L : (1L << (pages - (long) i * 64)) - 1;
                if ((w & ~valid) != 0) {
                    throw new StateFileException("section 'memory': the bitmap of region " + r + " marks pages beyond its end");
                }
                bitmaps[r][i] = w;
                set += Long.bitCount(w);
            }
            if (set != storedPages[r]) {
                throw new StateFileException("section 'memory': region " + r + " claims " + storedPages[r]
                        + " stored pages, its bitmap marks " + set);
            }
            pageBytes += set * PAGE;
        }
        if (payloadEnd - in.position() != pageBytes) {
            throw new StateFileException("section 'memory': its length leaves " + (payloadEnd - in.position())
                    + " bytes for pages, the bitmaps mark " + pageBytes);
        }
        long done = 0;
        progress.update(0, pageBytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = in.map(pageBytes, "memory page data", arena);
            for (long off = 0; off < pageBytes; off += CHUNK) {
                crc.update(data.asSlice(off, Math.min(CHUNK, pageBytes - off)).asByteBuffer());
            }
            long src = 0;
            for (int r = 0; r < count; r++) {
                RamRegion region = regions.get(r);
                long pages = region.pages();
                long p = 0;
                while (p < pages) {
                    if (!isSet(bitmaps[r], p)) {
                        p++;
                        continue;
                    }
                    long first = p;
                    while (p < pages && isSet(bitmaps[r], p) && (p - first) * PAGE < CHUNK) {
                        p++;
                    }
                    long bytes = (p - first) * PAGE;
                    MemorySegment.copy(data, src, region.segment(), first * PAGE, bytes);
                    memory.noteHostWrite(region.gpa() + first * PAGE, bytes);
                    src += bytes;
                    done += bytes;
                    progress.update(done, pageBytes);
                }
            }
        }
    }

    private static boolean isSet(long[] bits, long page) {
        return (bits[(int) (page >>> 6)] & (1L << (page & 63))) != 0;
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
