package dev.partita.vmbus.channel;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.partita.hv.hyperv.SynicDelivery;
import dev.partita.vmbus.GuestLog;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;
import dev.partita.vmbus.ring.RingWriter;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The host-side data path of one open channel, on two LMAX Disruptor rings:
 * <ol>
 * <li>a guest signal ({@link #onGuestSignal()}, on the signalling vCPU thread, never blocking) drains
 * packets from the guest-to-host ring into the <em>inbound</em> Disruptor (one drainer at a time,
 * serialised by a work-in-progress counter; when the Disruptor is full, or holds its budget of
 * large packets, the rest stays in the guest ring and the VSP thread drains again after its batch);</li>
 * <li>the VSP handler thread consumes inbound batches and calls {@link Vsp#onPacket} with the packet
 * as the ring reader parsed it (descriptor fields and, for GPA-direct packets, the ranges);</li>
 * <li>every completion and packet the VSP sends, from its handler thread or any other, goes to the
 * <em>outbound</em> Disruptor (multi-producer; the handler thread publishes its packets once per
 * inbound batch); its single writer thread is the only writer of the host-to-guest ring: it appends
 * the packets, publishes the write index at the end of each batch and raises the channel's event
 * flag on SINT2 of the target processor when the guest had caught up and its interrupt mask is
 * clear. When the guest ring is full the writer sets the pending send size and parks until the
 * guest signals.</li>
 * </ol>
 *
 * <p><b>Memory bound.</b> Each Disruptor slot keeps at most {@link PacketBuffer#RETAINED_BYTES}
 * between packets; packets larger than that wait in a direction only while fewer than
 * {@link VmBusTuning#inFlightBytes()} of them are queued (one more always may). So one channel
 * holds at most {@link VmBusTuning#channelBufferBound()} bytes of packet buffers, plus one packet
 * per concurrently sending host thread, whatever the guest writes.
 *
 * <p>A bad guest value (ring index, packet length) or an exception from the VSP stops the pipeline
 * and reports it to the {@link ChannelFailureListener}; nothing escapes to the caller.
 */
public final class ChannelPipeline implements VspChannel {
    private static final System.Logger LOG = System.getLogger(ChannelPipeline.class.getName());
    private static final int SKIP = -1; // event type of a slot claimed for a packet that turned out corrupt

    private final int relid;
    private final int targetVp;
    private final byte[] userData;
    private final Vsp vsp;
    private final RingReader fromGuest;
    private final RingWriter toGuest;
    private final GuestSignal signal;
    private final ChannelFailureListener failures;
    private final GuestLog log;
    private final int maxPacketBytes;
    private final int inFlightBudget;
    private final Disruptor<PacketBuffer> inbound;
    private final Disruptor<PacketBuffer> outbound;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger drainWip = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    /** Capacity of inbound slots holding a packet larger than RETAINED_BYTES (drainer adds, VSP thread trims). */
    private final AtomicLong inboundLarge = new AtomicLong();
    /** The same for outbound slots (senders add, the writer trims). */
    private final AtomicLong outboundLarge = new AtomicLong();
    private volatile RingBuffer<PacketBuffer> inRing;
    private volatile RingBuffer<PacketBuffer> outRing;
    private volatile boolean closed;
    private volatile boolean starved;
    private volatile Thread writerThread;
    private volatile Thread vspThread;
    private long outLo = -1; // outbound slots claimed and filled by the VSP thread, not yet published
    private long outHi = -1;

    /**
     * @param log the partition's rate-limited log of guest faults
     */
    public ChannelPipeline(int relid, int targetVp, byte[] userData, Vsp vsp, RingReader fromGuest, RingWriter toGuest,
                           SynicDelivery synic, VmBusTuning tuning, ChannelFailureListener failures, GuestLog log) {
        this.relid = relid;
        this.targetVp = targetVp;
        this.userData = userData.clone();
        this.vsp = vsp;
        this.fromGuest = fromGuest;
        this.toGuest = toGuest;
        this.signal = new GuestSignal(synic, targetVp, relid);
        this.failures = failures;
        this.log = log;
        this.maxPacketBytes = tuning.maxPacketBytes();
        this.inFlightBudget = tuning.inFlightBytes();
        this.inbound = new Disruptor<>(PacketBuffer::new, tuning.ringSlots(), this::newThread,
                ProducerType.SINGLE, tuning.waitStrategy().get());
        this.outbound = new Disruptor<>(PacketBuffer::new, tuning.ringSlots(), this::newThread,
                ProducerType.MULTI, tuning.waitStrategy().get());
        inbound.handleEventsWith(new VspHandler());
        outbound.handleEventsWith(new GuestRingWriter());
        inbound.setDefaultExceptionHandler(new FailOnException<>("VSP handler"));
        outbound.setDefaultExceptionHandler(new FailOnException<>("guest ring writer"));
    }

    private Thread newThread(Runnable r) {
        Thread t = new Thread(r, "vmbus-ch" + relid + "-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        return t;
    }

    /** Starts both Disruptors, then tells the VSP. Control thread only. */
    public void start() {
        outRing = outbound.start();
        inRing = inbound.start();
        vsp.open(this);
        onGuestSignal(); // packets written before the open completed
    }

    // ---- guest → host ----

    /** HvSignalEvent for this channel: drains the guest ring and wakes a writer waiting for space. Never blocks. */
    public void onGuestSignal() {
        if (closed) {
            return;
        }
        Thread w = writerThread;
        if (w != null) {
            LockSupport.unpark(w);
        }
        drain();
    }

    private void drain() {
        if (drainWip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            drainOnce();
            missed = drainWip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainOnce() {
        RingBuffer<PacketBuffer> ring = inRing;
        if (ring == null || closed) {
            return;
        }
        try {
            while (true) {
                if (!drainAvailable(ring)) {
                    return; // inbound Disruptor full: the VSP thread drains again after its batch
                }
                if (fromGuest.commit()) {
                    signal.raise();
                }
                // The read-index store and a full fence precede this re-check; the guest's writer
                // stores its write index, fences, then reads our read index: one of us sees the other.
                fullFence();
                if (closed || fromGuest.available() == 0) {
                    return;
                }
            }
        } catch (RingCorruptException e) {
            fail("guest-to-host ring: " + e.getMessage());
        } catch (RuntimeException e) {
            fail("draining the guest-to-host ring failed: " + e);
        }
    }

    private static void fullFence() {
        dev.partita.vmbus.ring.RingBuffer.fullFence();
    }

    /**
     * Copies published packets into the inbound Disruptor; false when it filled up (or reached its
     * budget of large packets) first. The claimed slots are published as one range at the end (one
     * wake-up of the VSP thread per drain).
     */
    private boolean drainAvailable(RingBuffer<PacketBuffer> ring) throws RingCorruptException {
        long lo = -1;
        long hi = -1;
        try {
            while (!closed && fromGuest.available() > 0) {
                long seq = claimInbound(ring);
                if (seq < 0) {
                    if (lo >= 0) { // unpublished slots would never be consumed
                        ring.publish(lo, hi);
                        lo = -1;
                    }
                    // Dekker with VspHandler: we store starved, fence, re-check; it frees slots and
                    // budget, fences, reads starved. One of us sees the other.
                    starved = true;
                    fullFence();
                    seq = claimInbound(ring);
                    if (seq < 0) {
                        if (fromGuest.commit()) { // free what we took; the guest may be waiting for space
                            signal.raise();
                        }
                        return false;
                    }
                }
                if (lo < 0) {
                    lo = seq;
                }
                hi = seq;
                PacketBuffer ev = ring.get(seq);
                ev.fill(SKIP, 0, 0, ev.bytes(), 0, 0); // stays a skip unless a packet is copied in
                fromGuest.next(ev);
                if (ev.capacity() > PacketBuffer.RETAINED_BYTES) {
                    inboundLarge.addAndGet(ev.capacity());
                }
            }
            return true;
        } finally {
            if (lo >= 0) {
                ring.publish(lo, hi);
            }
        }
    }

    /** A free inbound slot, or -1 when the Disruptor is full or holds its budget of large packets. */
    private long claimInbound(RingBuffer<PacketBuffer> ring) {
        if (inboundLarge.get() > inFlightBudget) {
            return -1;
        }
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return -1;
        }
    }

    private final class VspHandler implements EventHandler<PacketBuffer> {
        private Sequence progress;

        @Override
        public void onStart() {
            vspThread = Thread.currentThread();
        }

        @Override
        public void setSequenceCallback(Sequence sequenceCallback) {
            this.progress = sequenceCallback;
        }

        @Override
        public void onEvent(PacketBuffer ev, long sequence, boolean endOfBatch) {
            try {
                if (ev.type() != SKIP && !closed) {
                    vsp.onPacket(ChannelPipeline.this, ev, endOfBatch);
                }
            } finally {
                int freed = ev.trim();
                if (freed > 0) {
                    inboundLarge.addAndGet(-freed);
                }
                if (endOfBatch) {
                    flushOut();
                }
            }
            if (endOfBatch) {
                progress.set(sequence); // free the slots before looking at starved (see drainAvailable)
                fullFence();
                if (starved) {
                    starved = false;
                    drain();
                }
            }
        }
    }

    // ---- host → guest ----

    @Override
    public void complete(long transactionId, byte[] payload, int offset, int length) {
        publishOut(PacketType.COMPLETION, 0, transactionId, payload, offset, length);
    }

    @Override
    public void send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length) {
        publishOut(PacketType.DATA_IN_BAND, completionRequested ? PacketType.FLAG_COMPLETION_REQUESTED : 0,
                transactionId, payload, offset, length);
    }

    /**
     * Claims an outbound slot and fills it. On the VSP handler thread the slot is published with
     * the rest of the batch ({@link #flushOut()} at the end of the inbound batch: one wake-up of
     * the writer per batch); from any other thread at once. Waits (parking) while the outbound
     * Disruptor is full or holds its budget of large packets. A packet that could never fit the
     * guest's ring fails the channel instead.
     */
    private void publishOut(int type, int flags, long txid, byte[] payload, int offset, int length) {
        RingBuffer<PacketBuffer> ring = outRing;
        if (closed || ring == null) {
            return;
        }
        if (length > maxPacketBytes || PacketType.ringBytes(length) >= toGuest.ring().dataSize()) {
            fail("VSP sent a " + length + "-byte packet; the guest's " + toGuest.ring().dataSize()
                    + "-byte ring (and the " + maxPacketBytes + "-byte packet limit) cannot take it");
            return;
        }
        boolean deferred = Thread.currentThread() == vspThread;
        boolean large = length > PacketBuffer.RETAINED_BYTES;
        long seq;
        while (true) {
            if (!large || outboundLarge.get() <= inFlightBudget) {
                try {
                    seq = ring.tryNext();
                    break;
                } catch (InsufficientCapacityException full) {
                    // wait below
                }
            }
            if (deferred) {
                flushOut(); // the writer cannot free slots it has not been given
            }
            if (closed) {
                return;
            }
            LockSupport.parkNanos(1_000);
        }
        try {
            PacketBuffer ev = ring.get(seq);
            ev.fill(type, flags, txid, payload, offset, length);
            if (ev.capacity() > PacketBuffer.RETAINED_BYTES) {
                outboundLarge.addAndGet(ev.capacity());
            }
        } finally {
            if (!deferred) {
                ring.publish(seq);
            } else {
                if (outLo >= 0 && seq != outHi + 1) {
                    flushOut();
                }
                if (outLo < 0) {
                    outLo = seq;
                }
                outHi = seq;
            }
        }
    }

    /** Publishes the slots the VSP thread claimed and filled. VSP handler thread only. */
    private void flushOut() {
        if (outLo >= 0) {
            outRing.publish(outLo, outHi);
            outLo = -1;
        }
    }

    /** The single writer of the host-to-guest ring. */
    private final class GuestRingWriter implements EventHandler<PacketBuffer> {
        @Override
        public void onStart() {
            writerThread = Thread.currentThread();
        }

        @Override
        public void onEvent(PacketBuffer ev, long sequence, boolean endOfBatch) throws RingCorruptException {
            try {
                if (closed) {
                    return;
                }
                if (!toGuest.tryWrite(ev.type(), ev.flags(), ev.transactionId(), ev.bytes(), ev.payloadOffset(),
                        ev.payloadLength())) {
                    waitForSpace(ev);
                }
                if (endOfBatch) {
                    publishToGuest();
                }
            } finally {
                int freed = ev.trim();
                if (freed > 0) {
                    outboundLarge.addAndGet(-freed);
                }
            }
        }

        private void waitForSpace(PacketBuffer ev) throws RingCorruptException {
            publishToGuest(); // what is written must be visible before we wait on the guest
            var ring = toGuest.ring();
            ring.setPendingSendSize(RingWriter.bytesNeeded(ev.payloadLength()));
            try {
                while (!closed) {
                    if (toGuest.tryWrite(ev.type(), ev.flags(), ev.transactionId(), ev.bytes(), ev.payloadOffset(),
                            ev.payloadLength())) {
                        return;
                    }
                    LockSupport.parkNanos(100_000);
                }
            } finally {
                ring.setPendingSendSize(0);
            }
        }
    }

    private void publishToGuest() {
        if (toGuest.publish()) {
            signal.raise();
        }
    }

    // ---- failure and close ----

    private final class FailOnException<T> implements ExceptionHandler<T> {
        private final String where;

        FailOnException(String where) {
            this.where = where;
        }

        @Override
        public void handleEventException(Throwable ex, long sequence, T event) {
            String reason = ex instanceof RingCorruptException ? "host-to-guest ring: " + ex.getMessage()
                    : where + " threw " + ex;
            fail(reason);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            fail(where + " failed to start: " + ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.log(System.Logger.Level.WARNING, () -> "channel " + relid + ": " + where + " failed to stop: " + ex);
        }
    }

    @Override
    public void fail(String reason) {
        if (failure.compareAndSet(null, reason)) {
            log.log(System.Logger.Level.WARNING, () -> "VMBus channel " + relid + " closed: " + reason);
            closed = true;
            failures.channelFailed(relid, this, reason);
        }
    }

    /**
     * Bytes of packets larger than {@link PacketBuffer#RETAINED_BYTES} held in this channel's
     * Disruptor slots now, both directions (at most twice the in-flight budget plus a packet each
     * way). Any thread.
     */
    public long largePacketBytes() {
        return inboundLarge.get() + outboundLarge.get();
    }

    /** Why the pipeline stopped on its own, or null. */
    public String failureReason() {
        return failure.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops both Disruptors, waits (bounded) until no drain runs and the channel threads ended,
     * then tells the VSP. After this nothing touches the channel's guest pages. Control thread only.
     */
    public void close() {
        closed = true;
        inbound.halt();
        outbound.halt();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (drainWip.get() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                LockSupport.unpark(t);
                try {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (t.isAlive()) {
                    LOG.log(System.Logger.Level.WARNING, () -> "channel " + relid + ": thread " + t.getName() + " did not stop");
                }
            }
        }
        vsp.close(this);
    }

    @Override
    public void warn(java.util.function.Supplier<String> message) {
        log.log(System.Logger.Level.WARNING, () -> "VMBus channel " + relid + ": " + message.get());
    }

    @Override
    public int relid() {
        return relid;
    }

    @Override
    public int targetVp() {
        return targetVp;
    }

    @Override
    public byte[] openUserData() {
        return userData.clone();
    }
}
