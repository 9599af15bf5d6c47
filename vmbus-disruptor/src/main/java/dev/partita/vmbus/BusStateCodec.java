package dev.partita.vmbus;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.gpadl.Gpadl;
import dev.partita.vmbus.gpadl.Gpadl.GpadlRange;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The saved form of one partition's VMBus (layout version {@value #VERSION}, little-endian):
 * the connection (negotiated version, message SINT and target processor), the established
 * GPADLs with their PFN lists, and every offered channel with its state, ring GPADL, ring split,
 * target processor, OPENCHANNEL user data and its VSP's own state. Ring indices live in the
 * rings' header pages in guest memory and are restored with it.
 *
 * <pre>
 * u8 connected, u32 version, u32 targetVcpu, u32 messageSint, u8 offersRequested
 * u32 gpadlCount, per GPADL: u32 id, u32 childRelid, u32 rangeCount,
 *     per range: u32 byteCount, u32 byteOffset, u32 pfnCount, u64 pfns[]
 * u32 channelCount, per channel: u32 relid, 16 bytes interface type, 16 bytes instance,
 *     u8 state (0 offered, 1 open, 2 rescinded), u32 ringGpadlId, u32 downstreamPageOffset,
 *     u32 targetVp, u32 userDataLength, userData, i32 vspStateLength (-1: the VSP of an
 *     earlier channel), vspState
 * </pre>
 *
 * <p>Decoding checks every count and length against what the buffer holds and what the bus
 * allows; a bad value is an {@link IllegalArgumentException} naming it. Stateless.
 */
final class BusStateCodec {
    static final int VERSION = 1;
    private static final int MAX_USER_DATA = 120;

    private BusStateCodec() {
    }

    /** One channel as saved. {@code vspState} is null when an earlier channel carries its VSP's state. */
    record SavedChannel(int relid, UUID interfaceType, UUID instance, ChannelState state, int ringGpadlId,
                        int downstreamPageOffset, int targetVp, byte[] userData, byte[] vspState) {
    }

    /** The whole bus as saved. */
    record SavedBus(boolean connected, int version, int targetVcpu, int messageSint, boolean offersRequested,
                    List<Gpadl> gpadls, List<SavedChannel> channels) {
    }

    static byte[] encode(SavedBus bus) {
        Out o = new Out();
        o.u8(bus.connected() ? 1 : 0).u32(bus.version()).u32(bus.targetVcpu()).u32(bus.messageSint())
                .u8(bus.offersRequested() ? 1 : 0);
        o.u32(bus.gpadls().size());
        for (Gpadl g : bus.gpadls()) {
            o.u32(g.id()).u32(g.childRelid()).u32(g.ranges().size());
            for (GpadlRange r : g.ranges()) {
                o.u32(r.byteCount()).u32(r.byteOffset()).u32(r.pfns().length);
                for (long pfn : r.pfns()) {
                    o.u64(pfn);
                }
            }
        }
        o.u32(bus.channels().size());
        for (SavedChannel c : bus.channels()) {
            o.u32(c.relid()).uuid(c.interfaceType()).uuid(c.instance()).u8(c.state().ordinal()).u32(c.ringGpadlId())
                    .u32(c.downstreamPageOffset()).u32(c.targetVp()).u32(c.userData().length).bytes(c.userData());
            if (c.vspState() == null) {
                o.u32(-1);
            } else {
                o.u32(c.vspState().length).bytes(c.vspState());
            }
        }
        return o.toByteArray();
    }

    /**
     * Parses a saved bus, checking each PFN names a page of {@code memory} and the totals against
     * {@code maxGpadls} and {@code maxChannels}.
     */
    static SavedBus decode(byte[] state, GuestMemory memory, int maxGpadls, int maxChannels) {
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        try {
            boolean connected = flag(b, "connected");
            int version = b.getInt();
            int targetVcpu = b.getInt();
            int sint = b.getInt();
            if (sint < 0 || sint > 15) {
                throw new IllegalArgumentException("message SINT " + sint);
            }
            boolean offersRequested = flag(b, "offersRequested");
            int gpadlCount = count(b, maxGpadls, "GPADLs");
            List<Gpadl> gpadls = new ArrayList<>(gpadlCount);
            long totalPages = 0;
            long ramPages = memory.totalSize() / GuestMemory.PAGE_SIZE;
            for (int i = 0; i < gpadlCount; i++) {
                int id = b.getInt();
                int relid = b.getInt();
                int rangeCount = count(b, b.remaining() / 12, "ranges of GPADL " + id);
                List<GpadlRange> ranges = new ArrayList<>(rangeCount);
                for (int r = 0; r < rangeCount; r++) {
                    long byteCount = Integer.toUnsignedLong(b.getInt());
                    long byteOffset = Integer.toUnsignedLong(b.getInt());
                    int pfnCount = count(b, b.remaining() / 8, "PFNs of GPADL " + id);
                    long pagesNeeded = (byteOffset + byteCount + GuestMemory.PAGE_SIZE - 1) / GuestMemory.PAGE_SIZE;
                    if (byteCount == 0 || byteOffset >= GuestMemory.PAGE_SIZE || pagesNeeded != pfnCount) {
                        throw new IllegalArgumentException("GPADL " + id + " range " + r + ": " + byteCount + " bytes at offset "
                                + byteOffset + " with " + pfnCount + " PFNs");
                    }
                    totalPages += pfnCount;
                    if (totalPages > ramPages) {
                        throw new IllegalArgumentException("the GPADLs name more pages than the guest's " + ramPages);
                    }
                    long[] pfns = new long[pfnCount];
                    for (int p = 0; p < pfnCount; p++) {
                        long pfn = b.getLong();
                        if (pfn < 0 || pfn > (Long.MAX_VALUE >>> 12) || !memory.isRam(pfn << 12, GuestMemory.PAGE_SIZE)) {
                            throw new IllegalArgumentException("GPADL " + id + ": PFN 0x" + Long.toHexString(pfn) + " is not guest RAM");
                        }
                        pfns[p] = pfn;
                    }
                    ranges.add(new GpadlRange((int) byteCount, (int) byteOffset, pfns));
                }
                gpadls.add(new Gpadl(id, relid, List.copyOf(ranges)));
            }
            int channelCount = count(b, maxChannels, "channels");
            List<SavedChannel> channels = new ArrayList<>(channelCount);
            for (int i = 0; i < channelCount; i++) {
                int relid = b.getInt();
                UUID type = uuid(b);
                UUID instance = uuid(b);
                int s = b.get() & 0xFF;
                if (s >= ChannelState.values().length) {
                    throw new IllegalArgumentException("channel " + relid + " state " + s);
                }
                int ringGpadl = b.getInt();
                int down = b.getInt();
                int targetVp = b.getInt();
                byte[] userData = bytes(b, count(b, MAX_USER_DATA, "user data bytes of channel " + relid));
                int vspLength = b.getInt();
                byte[] vspState = vspLength == -1 ? null : bytes(b, checkLength(b, vspLength, "VSP state of channel " + relid));
                channels.add(new SavedChannel(relid, type, instance, ChannelState.values()[s], ringGpadl, down, targetVp,
                        userData, vspState));
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes after the last channel");
            }
            return new SavedBus(connected, version, targetVcpu, sint, offersRequested, List.copyOf(gpadls), List.copyOf(channels));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("VMBus state truncated at byte " + b.position() + " of " + state.length);
        }
    }

    private static boolean flag(ByteBuffer b, String what) {
        int v = b.get() & 0xFF;
        if (v > 1) {
            throw new IllegalArgumentException(what + " flag " + v);
        }
        return v == 1;
    }

    private static int count(ByteBuffer b, int max, String what) {
        int n = b.getInt();
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(Integer.toUnsignedString(n) + " " + what + " (at most " + max + ")");
        }
        return n;
    }

    private static int checkLength(ByteBuffer b, int n, String what) {
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException(what + ": length " + n + " with " + b.remaining() + " bytes left");
        }
        return n;
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] a = new byte[n];
        b.get(a);
        return a;
    }

    private static UUID uuid(ByteBuffer b) {
        long hi = b.getLong();
        long lo = b.getLong();
        return new UUID(hi, lo);
    }

    /** A little-endian byte sink. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Out u8(int v) {
            bytes.write(v);
            return this;
        }

        Out u32(int v) {
            bytes.write(scratch.clear().putInt(v).array(), 0, 4);
            return this;
        }

        Out u64(long v) {
            bytes.write(scratch.clear().putLong(v).array(), 0, 8);
            return this;
        }

        Out uuid(UUID u) {
            return u64(u.getMostSignificantBits()).u64(u.getLeastSignificantBits());
        }

        Out bytes(byte[] a) {
            bytes.write(a, 0, a.length);
            return this;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
