package dev.partita.vmbus.client;

import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;
import dev.partita.vmbus.ring.RingWriter;

import java.util.List;

/**
 * The guest side of one open channel in the Java VSC: writes packets into the guest-to-host ring
 * and signals the root on an empty→non-empty transition (unless the root masked interrupts), and
 * reads packets from the host-to-guest ring, signalling the root when its pending send size is
 * crossed.
 *
 * <p><b>Threads.</b> One thread sends, one thread (possibly the same) receives; the root's event
 * for this channel unparks the thread waiting in {@link #receive}.
 */
public final class ClientChannel {
    /** Largest packet a descriptor can describe: total length is a u16 count of 8-byte units. */
    private static final int MAX_PACKET_BYTES = 0xFFFF * 8;

    private final VmBusClient client;
    private final int relid;
    private final int connectionId;
    private final int gpadlId;
    private final RingWriter out;
    private final RingReader in;
    private final SpinYieldParkWait wait = new SpinYieldParkWait();
    private volatile long spinNanos = 20_000;
    private volatile long events;
    private int unpublishedReads;
    private byte[] rangeArea = new byte[64]; // the sending thread's scratch for GPA-direct range lists

    ClientChannel(VmBusClient client, int relid, int connectionId, int gpadlId, RingWriter out, RingReader in) {
        this.client = client;
        this.relid = relid;
        this.connectionId = connectionId;
        this.gpadlId = gpadlId;
        this.out = out;
        this.in = in;
    }

    public int relid() {
        return relid;
    }

    public int gpadlId() {
        return gpadlId;
    }

    /** Events the root raised for this channel so far. */
    public long events() {
        return events;
    }

    void onEvent() {
        events++;
        wait.wake();
    }

    /**
     * Writes an in-band packet and publishes it, signalling the root when the rules ask for it.
     *
     * @return false when the ring has no room now
     */
    public boolean send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length)
            throws RingCorruptException {
        if (!write(transactionId, completionRequested, payload, offset, length)) {
            return false;
        }
        flush();
        return true;
    }

    /** Writes an in-band packet without publishing it (see {@link #flush()}); false when there is no room. */
    public boolean write(long transactionId, boolean completionRequested, byte[] payload, int offset, int length)
            throws RingCorruptException {
        return out.tryWrite(PacketType.DATA_IN_BAND, completionRequested ? PacketType.FLAG_COMPLETION_REQUESTED : 0,
                transactionId, payload, offset, length);
    }

    /**
     * Writes a GPA-direct packet (type 9, {@code VM_PKT_DATA_USING_GPA_DIRECT}) and publishes it,
     * signalling the root when the rules ask for it: the descriptor, a reserved u32 (zero), the
     * range count u32, each range (byte count u32, byte offset u32, PFNs u64), then the payload at
     * the descriptor's data offset — the layout of Linux's {@code vmbus_sendpacket_mpb_desc}.
     *
     * <p>Threading and ordering as {@link #send}: call only from the channel's one sending thread;
     * the packet becomes visible to the root with the release store of the write index.
     *
     * @param ranges the guest memory the packet describes (at least one range); the pages are not
     *               touched here
     * @return false when the ring has no room now (nothing written)
     * @throws IllegalArgumentException when {@code ranges} is empty or the packet could never fit
     *                                  in this channel's ring
     * @throws RingCorruptException     when the root's read index is invalid
     */
    public boolean sendGpaDirect(long transactionId, boolean completionRequested, List<GpaDirectRange> ranges,
                                 byte[] payload, int offset, int length) throws RingCorruptException {
        if (!writeGpaDirect(transactionId, completionRequested, ranges, payload, offset, length)) {
            return false;
        }
        flush();
        return true;
    }

    /**
     * Writes a GPA-direct packet (layout as {@link #sendGpaDirect}) without publishing it (see
     * {@link #flush()}); false when there is no room. Sending thread only.
     */
    public boolean writeGpaDirect(long transactionId, boolean completionRequested, List<GpaDirectRange> ranges,
                                  byte[] payload, int offset, int length) throws RingCorruptException {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("GPA-direct packet on relid " + relid + " without ranges");
        }
        long wire = GpaDirectRange.listWireSize(ranges);
        if (wire > MAX_PACKET_BYTES) {
            throw new IllegalArgumentException("GPA-direct packet on relid " + relid + " with " + ranges.size()
                    + " ranges needs a " + wire + "-byte range list (packets are at most " + MAX_PACKET_BYTES + " bytes)");
        }
        int size = (int) wire;
        byte[] area = rangeArea.length >= size ? rangeArea : (rangeArea = new byte[size]);
        GpaDirectRange.writeList(ranges, area);
        return out.tryWrite(PacketType.DATA_USING_GPA_DIRECT,
                completionRequested ? PacketType.FLAG_COMPLETION_REQUESTED : 0, transactionId,
                area, size, payload, offset, length);
    }

    /** Publishes written packets and signals the root if it had caught up and did not mask interrupts. */
    public void flush() {
        if (out.publish()) {
            client.hypervisor().signalEvent(connectionId, 0);
        }
    }

    /**
     * Reads one packet if one is there. The read index is published every 64 packets and whenever
     * the ring looks empty; then, after the store and a full fence, the ring is checked once more
     * (the root's writer signals only when it sees that we had caught up).
     */
    public boolean poll(PacketBuffer into) throws RingCorruptException {
        if (in.next(into)) {
            if (++unpublishedReads >= 64) {
                commitReads();
            }
            return true;
        }
        if (!in.hasUncommitted()) {
            return false;
        }
        commitReads();
        return in.next(into);
    }

    private void commitReads() throws RingCorruptException {
        unpublishedReads = 0;
        if (in.commit()) {
            client.hypervisor().signalEvent(connectionId, 0);
        }
    }

    /** How long {@link #receive} polls before it parks (default 20 µs). */
    public void setSpinNanos(long nanos) {
        this.spinNanos = nanos;
    }

    /**
     * Waits up to {@code timeoutNanos} for a packet: busy-polls for the first 2 µs, then polls with
     * {@link Thread#yield()} until the spin time is up (so on a busy core the root's threads get to
     * run instead of waiting out our spin), then parks until the root's event.
     */
    public boolean receive(PacketBuffer into, long timeoutNanos) throws RingCorruptException {
        return wait.await(() -> poll(into), spinNanos, timeoutNanos);
    }
}
