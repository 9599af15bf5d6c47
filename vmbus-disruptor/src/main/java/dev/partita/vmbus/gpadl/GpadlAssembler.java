package dev.partita.vmbus.gpadl;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.gpadl.Gpadl.GpadlRange;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlBody;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlHeader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects one GPADL from its GPADL_HEADER and GPADL_BODY messages: the header announces the size
 * of the ranges area ({@code range_buflen}) and carries its first bytes; bodies append PFNs until
 * the area is full. Then the ranges are parsed and every value checked (range count, byte offset
 * below a page, PFN count implied by offset + count, area consumed exactly, every PFN a RAM page).
 *
 * <p>Not thread-safe: owned by the channel manager's thread.
 */
public final class GpadlAssembler {
    private static final int RANGE_FIXED = 8; // byte_count u32, byte_offset u32

    private final int gpadlId;
    private final int childRelid;
    private final int rangeCount;
    private final byte[] area;
    private int filled;

    private GpadlAssembler(int gpadlId, int childRelid, int rangeCount, byte[] area) {
        this.gpadlId = gpadlId;
        this.childRelid = childRelid;
        this.rangeCount = rangeCount;
        this.area = area;
    }

    /**
     * Starts a GPADL from its header.
     *
     * @param maxPages the most pages one GPADL may name
     * @throws GpadlException when the header is inconsistent
     */
    public static GpadlAssembler start(GpadlHeader h, int maxPages) throws GpadlException {
        int buflen = h.rangeBufferLength();
        if (h.rangeCount() < 1) {
            throw new GpadlException("GPADL " + h.gpadlId() + ": range count 0");
        }
        if (buflen % 8 != 0 || buflen < h.rangeCount() * (RANGE_FIXED + 8)) {
            throw new GpadlException("GPADL " + h.gpadlId() + ": range buffer length " + buflen
                    + " does not fit " + h.rangeCount() + " ranges of at least one PFN");
        }
        if ((buflen - RANGE_FIXED * h.rangeCount()) / 8 > maxPages) {
            throw new GpadlException("GPADL " + h.gpadlId() + ": more than " + maxPages + " pages");
        }
        if (h.rangeBytes().length > buflen) {
            throw new GpadlException("GPADL " + h.gpadlId() + ": header carries " + h.rangeBytes().length
                    + " range bytes, more than the announced " + buflen);
        }
        if (h.rangeBytes().length % 8 != 0) {
            throw new GpadlException("GPADL " + h.gpadlId() + ": header range bytes not a multiple of 8");
        }
        GpadlAssembler a = new GpadlAssembler(h.gpadlId(), h.childRelid(), h.rangeCount(), new byte[buflen]);
        System.arraycopy(h.rangeBytes(), 0, a.area, 0, h.rangeBytes().length);
        a.filled = h.rangeBytes().length;
        return a;
    }

    public int gpadlId() {
        return gpadlId;
    }

    public int childRelid() {
        return childRelid;
    }

    /** The most pages the announced range area can name (each range takes 8 bytes besides its PFNs). */
    public int maxPages() {
        return (area.length - RANGE_FIXED * rangeCount) / 8;
    }

    public boolean complete() {
        return filled == area.length;
    }

    /** Appends a body's PFNs. */
    public void add(GpadlBody body) throws GpadlException {
        if (body.gpadlId() != gpadlId) {
            throw new GpadlException("GPADL_BODY for " + body.gpadlId() + " routed to " + gpadlId);
        }
        long bytes = 8L * body.pfns().length;
        if (bytes == 0 || filled + bytes > area.length) {
            throw new GpadlException("GPADL " + gpadlId + ": body " + body.messageNumber() + " with "
                    + body.pfns().length + " PFNs overruns the announced " + area.length + "-byte range area");
        }
        ByteBuffer b = ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN);
        for (long pfn : body.pfns()) {
            b.putLong(filled, pfn);
            filled += 8;
        }
    }

    /** Parses and checks the completed area against {@code memory}. */
    public Gpadl finish(GuestMemory memory) throws GpadlException {
        if (!complete()) {
            throw new GpadlException("GPADL " + gpadlId + " incomplete: " + filled + " of " + area.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN);
        List<GpadlRange> ranges = new ArrayList<>(rangeCount);
        int at = 0;
        for (int r = 0; r < rangeCount; r++) {
            if (at + RANGE_FIXED > area.length) {
                throw new GpadlException("GPADL " + gpadlId + ": range " + r + " starts past the range area");
            }
            long count = Integer.toUnsignedLong(b.getInt(at));
            long offset = Integer.toUnsignedLong(b.getInt(at + 4));
            at += RANGE_FIXED;
            if (count == 0 || offset >= GuestMemory.PAGE_SIZE) {
                throw new GpadlException("GPADL " + gpadlId + ": range " + r + " byte count " + count + " offset " + offset);
            }
            long pages = (offset + count + GuestMemory.PAGE_SIZE - 1) / GuestMemory.PAGE_SIZE;
            if (at + pages * 8 > area.length) {
                throw new GpadlException("GPADL " + gpadlId + ": range " + r + " needs " + pages
                        + " PFNs, more than the range area holds");
            }
            long[] pfns = new long[(int) pages];
            for (int i = 0; i < pages; i++) {
                long pfn = b.getLong(at);
                at += 8;
                if (pfn < 0 || pfn > (Long.MAX_VALUE >>> 12) || !memory.isRam(pfn << 12, GuestMemory.PAGE_SIZE)) {
                    throw new GpadlException("GPADL " + gpadlId + ": PFN 0x" + Long.toHexString(pfn) + " is not guest RAM");
                }
                pfns[i] = pfn;
            }
            ranges.add(new GpadlRange((int) count, (int) offset, pfns));
        }
        if (at != area.length) {
            throw new GpadlException("GPADL " + gpadlId + ": " + (area.length - at) + " bytes left after " + rangeCount + " ranges");
        }
        return new Gpadl(gpadlId, childRelid, List.copyOf(ranges));
    }
}
