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
import java.util.concurrent.locks.ReentrantLock;

/**
 * The host-side data path of one open channel, on one LMAX Disruptor ring whose consumer, the
 * channel's VSP thread, is also the only writer of the host-to-guest ring:
 * <ol>
 * <li>a guest signal ({@link #onGuestSignal()}, on the signalling vCPU thread, never blocking) drains
 * packets from the guest-to-host ring into the Disruptor (one drainer at a time, serialised by a
 * work-in-progress counter; when the Disruptor is full, or holds its budget of large packets, the
 * rest stays in the guest ring and the VSP thread drains again after its batch);</li>
 * <li>the VSP thread consumes batches and calls {@link Vsp#onPacket} with the packet as the ring
 * reader parsed it (descriptor fields and, for GPA-direct packets, the ranges);</li>
 * <li>what the VSP sends from that thread (completions, mostly) it writes into the host-to-guest
 * ring at once; what other host threads send is published into the same Disruptor and written by
 * the VSP thread in its turn. The write index is published, and the channel's event flag raised
 * on SINT2 of the target processor when the guest had caught up and its interrupt mask is clear,
 * at the end of each batch. When the guest ring is full the VSP thread sets the pending send size
 * and parks until the guest signals: the guest's requests then wait in its own ring.</li>
 * </ol>
 *
 * <p><b>Inline completion.</b> For a VSP whose {@link Vsp#completesInline()} is true, a guest signal
 * that finds the Disruptor empty calls {@link Vsp#onPacket} itself, on the signalling thread, for up
 * to {@value #INLINE_LIMIT} packets (the rest go through the Disruptor), writes the completions into
 * the host-to-guest ring and raises one event for them: no hand-off to the VSP thread and no
 * wake-up. The guest ring's writer is whoever holds the channel's writer lock: the VSP thread for
 * each batch, the signalling thread for an inline run (it only tries the lock; when the VSP thread
 * holds it, the packets take the Disruptor path). A signalling thread never waits for the guest: if
 * the host-to-guest ring is full, that run's remaining sends are queued in the Disruptor for the VSP
 * thread, in order, and the run ends.
 *
 * <p>Why one class of this length: the drain, the VSP thread's batch, the inline run and the
 * quiesce/restart used by save and restore all move the same two ring indices and the same
 * writer ownership; keeping them together keeps the single-writer rule checkable in one file.
 * Ring formats are apart ({@code ring}), as are the wait strategies.
 *
 * <p><b>Memory bound.</b> Each Disruptor slot keeps at most {@link PacketBuffer#RETAINED_BYTES}
 * between packets; packets larger than that enter only while fewer than
 * {@link VmBusTuning#inFlightBytes()} of them wait (one more always may). So one channel holds at
 * most {@link VmBusTuning#channelBufferBound()} bytes of packet buffers, plus one packet per
 * concurrently sending host thread, whatever the guest writes.
 *
 * <p>A bad guest value (ring index, packet length) or an exception from the VSP stops the pipeline
 * and reports it to the {@link ChannelFailureListener}; nothing escapes to the caller.
 */
public final class ChannelPipeline implements VspChannel {
    private static final System.Logger LOG = System.getLogger(ChannelPipeline.class.getName());
    private static final int SKIP = -1;               // a slot claimed for a packet that turned out corrupt
    private static final int HOST_SEND = 0x4000_0000; // type bit of a slot holding a packet a host thread sends
    /** Most packets one guest signal handles inline before leaving the rest to the VSP thread. */
    static final int INLINE_LIMIT = 64;

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
    private final Disruptor<PacketBuffer> disruptor;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger drainWip = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    /** Capacity of slots holding a packet larger than RETAINED_BYTES (producers add, the VSP thread trims). */
    private final AtomicLong largeBytes = new AtomicLong();
    private volatile RingBuffer<PacketBuffer> ring;
    private volatile boolean closed;
    private volatile boolean starved;
    private volatile boolean waitingForSpace;
    private volatile Thread vspThread;
    private final boolean inline;
    /** Held by the one thread writing the host-to-guest ring: the VSP thread per batch, or an inline run. */
    private final ReentrantLock writer = new ReentrantLock();
    /** The packet of an inline run (the one drainer, see drainWip, owns it). */
    private final PacketBuffer inlinePacket = new PacketBuffer();
    /** In an inline run (writer lock held): the guest ring was full, so further sends go through the Disruptor. */
    private boolean deferWrites;

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
        this.inline = vsp.completesInline();
        this.disruptor = new Disruptor<>(PacketBuffer::new, tuning.ringSlots(), this::newThread,
                ProducerType.MULTI, tuning.newWaitStrategy(vsp.offer().interfaceType()));
        disruptor.handleEventsWith(new VspHandler());
        disruptor.setDefaultExceptionHandler(new FailOnException<>("VSP thread"));
    }

    private Thread newThread(Runnable r) {
        Thread t = new Thread(r, "vmbus-ch" + relid + "-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        return t;
    }

    /** Starts the Disruptor, then tells the VSP. Control thread only. */
    public void start() {
        ring = disruptor.start();
        vsp.open(this);
        onGuestSignal(); // packets written before the open completed
    }

    /**
     * Starts the Disruptor of a channel that was open when its VM was saved and tells the VSP with
     * {@link Vsp#reopen} (no protocol exchange), then drains what the guest wrote and did not
     * signal. The rings' indices are the ones in the restored guest memory. Control thread only.
     */
    public void restart() {
        ring = disruptor.start();
        vsp.reopen(this);
        onGuestSignal();
    }

    /**
     * Waits until every packet taken from the guest's ring has been handled by the VSP and what it
     * sent is published to the guest: no drain running, every Disruptor slot consumed, the VSP
     * thread not waiting for ring space. Call with the partition's processors paused (no new
     * guest signals) and the VSP's own senders stopped ({@link Vsp#quiesce}). Control thread.
     *
     * @throws IllegalStateException when the channel is not idle within {@code timeoutNanos} (for
     *                               example, the guest's host-to-guest ring is full)
     */
    public void awaitIdle(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        int quietChecks = 0;
        while (quietChecks < 3) {
            if (closed) {
                return;
            }
            if (isIdleNow()) {
                quietChecks++;
            } else {
                quietChecks = 0;
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("VMBus channel " + relid + " did not come to rest"
                            + (waitingForSpace ? ": the guest's host-to-guest ring is full" : ": packets still in flight"));
                }
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private boolean isIdleNow() {
        RingBuffer<PacketBuffer> r = ring;
        if (r == null) {
            return true;
        }
        fullFence();
        return drainWip.get() == 0 && !starved && !waitingForSpace && r.getCursor() == r.getMinimumGatingSequence();
    }

    // ---- guest → host ----

    /** HvSignalEvent for this channel: drains the guest ring and wakes a writer waiting for space. Never blocks. */
    public void onGuestSignal() {
        if (closed) {
            return;
        }
        if (waitingForSpace) {
            Thread w = vspThread;
            if (w != null) {
                LockSupport.unpark(w);
            }
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
        RingBuffer<PacketBuffer> r = ring;
        if (r == null || closed) {
            return;
        }
        try {
            while (true) {
                if (inline) {
                    runInline(r);
                }
                if (!drainAvailable(r)) {
                    return; // Disruptor full: the VSP thread drains again after its batch
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

    /**
     * Handles guest packets on this (signalling) thread when nothing waits in the Disruptor and the
     * writer lock is free; returns at once otherwise. Packets it does not handle stay in the guest ring.
     */
    private void runInline(RingBuffer<PacketBuffer> r) throws RingCorruptException {
        if (r.remainingCapacity() != r.getBufferSize() || !writer.tryLock()) {
            return;
        }
        try {
            // Re-checked under the lock: every claimed slot is consumed, so no earlier packet is pending.
            if (r.remainingCapacity() != r.getBufferSize()) {
                return;
            }
            deferWrites = false;
            for (int n = 0; n < INLINE_LIMIT && !closed && !deferWrites; n++) {
                if (!fromGuest.next(inlinePacket)) {
                    break;
                }
                boolean last = n == INLINE_LIMIT - 1 || fromGuest.available() == 0;
                try {
                    vsp.onPacket(this, inlinePacket, last);
                } catch (RuntimeException e) {
                    fail("VSP threw " + e);
                } finally {
                    inlinePacket.trim();
                }
            }
        } finally {
            if (!closed) {
                publishToGuest();
            }
            writer.unlock();
        }
    }

    private static void fullFence() {
        dev.partita.vmbus.ring.RingBuffer.fullFence();
    }

    /**
     * Copies published packets into the Disruptor; false when it filled up (or reached its budget
     * of large packets) first. Consecutive claimed slots are published as one range (one wake-up of
     * the VSP thread per drain); a slot another producer claimed in between ends the range.
     */
    private boolean drainAvailable(RingBuffer<PacketBuffer> r) throws RingCorruptException {
        long lo = -1;
        long hi = -1;
        try {
            while (!closed && fromGuest.available() > 0) {
                long seq = claim(r, false);
                if (seq < 0) {
                    if (lo >= 0) { // unpublished slots would never be consumed
                        r.publish(lo, hi);
                        lo = -1;
                    }
                    // Dekker with VspHandler: we store starved, fence, re-check; it frees slots and
                    // budget, fences, reads starved. One of us sees the other.
                    starved = true;
                    fullFence();
                    seq = claim(r, false);
                    if (seq < 0) {
                        if (fromGuest.commit()) { // free what we took; the guest may be waiting for space
                            signal.raise();
                        }
                        return false;
                    }
                }
                if (lo >= 0 && seq != hi + 1) {
                    r.publish(lo, hi);
                    lo = -1;
                }
                if (lo < 0) {
                    lo = seq;
                }
                hi = seq;
                PacketBuffer ev = r.get(seq);
                ev.fill(SKIP, 0, 0, ev.bytes(), 0, 0); // stays a skip unless a packet is copied in
                fromGuest.next(ev);
                if (ev.capacity() > PacketBuffer.RETAINED_BYTES) {
                    largeBytes.addAndGet(ev.capacity());
                }
            }
            return true;
        } finally {
            if (lo >= 0) {
                r.publish(lo, hi);
            }
        }
    }

    /** A free slot, or -1 when the Disruptor is full or (for a large packet) holds its budget. */
    private long claim(RingBuffer<PacketBuffer> r, boolean small) {
        if (!small && largeBytes.get() > inFlightBudget) {
            return -1;
        }
        try {
            return r.tryNext();
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
        public void onBatchStart(long batchSize, long queueDepth) {
            writer.lock(); // released after the batch's last event (or an event that threw)
        }

        @Override
        public void setSequenceCallback(Sequence sequenceCallback) {
            this.progress = sequenceCallback;
        }

        @Override
        public void onEvent(PacketBuffer ev, long sequence, boolean endOfBatch) throws RingCorruptException {
            boolean handled = false;
            try {
                int type = ev.type();
                if (type == SKIP || closed) {
                    // nothing to do
                } else if ((type & HOST_SEND) != 0) {
                    writeToGuest(type & 0xFFFF, ev.flags(), ev.transactionId(), ev.bytes(), ev.payloadOffset(),
                            ev.payloadLength());
                } else {
                    vsp.onPacket(ChannelPipeline.this, ev, endOfBatch);
                }
                handled = true;
            } finally {
                int freed = ev.trim();
                if (freed > 0) {
                    largeBytes.addAndGet(-freed);
                }
                if (endOfBatch || !handled) { // a throw abandons the rest of the batch
                    try {
                        if (!closed) {
                            publishToGuest();
                        }
                    } finally {
                        if (writer.isHeldByCurrentThread()) {
                            writer.unlock();
                        }
                    }
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
        send(PacketType.COMPLETION, 0, transactionId, payload, offset, length);
    }

    @Override
    public void send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length) {
        send(PacketType.DATA_IN_BAND, completionRequested ? PacketType.FLAG_COMPLETION_REQUESTED : 0,
                transactionId, payload, offset, length);
    }

    /**
     * On the VSP thread: writes the packet into the host-to-guest ring (published at the end of the
     * batch). In an inline run: writes it there too if it fits now, else queues it (and the run's
     * later sends) in the Disruptor without waiting. From any other thread: publishes it into the
     * Disruptor for the VSP thread to write, waiting (parking) while the Disruptor is full or holds
     * its budget of large packets. A packet that could never fit the guest's ring fails the channel
     * instead.
     */
    private void send(int type, int flags, long txid, byte[] payload, int offset, int length) {
        RingBuffer<PacketBuffer> r = ring;
        if (closed || r == null) {
            return;
        }
        if (length > maxPacketBytes || PacketType.ringBytes(length) >= toGuest.ring().dataSize()) {
            fail("VSP sent a " + length + "-byte packet; the guest's " + toGuest.ring().dataSize()
                    + "-byte ring (and the " + maxPacketBytes + "-byte packet limit) cannot take it");
            return;
        }
        boolean small = length <= PacketBuffer.RETAINED_BYTES;
        long seq;
        if (writer.isHeldByCurrentThread()) {
            try {
                if (Thread.currentThread() == vspThread) {
                    writeToGuest(type, flags, txid, payload, offset, length);
                    return;
                }
                if (!deferWrites && toGuest.tryWrite(type, flags, txid, payload, offset, length)) {
                    return;
                }
            } catch (RingCorruptException e) {
                fail("host-to-guest ring: " + e.getMessage());
                return;
            }
            deferWrites = true;
            seq = claim(r, small);
            if (seq < 0) { // the run started with an empty Disruptor: only a VSP sending hundreds of packets gets here
                fail("an inline run's sends overflowed the channel's Disruptor (" + r.getBufferSize() + " slots)");
                return;
            }
        } else {
            while ((seq = claim(r, small)) < 0) {
                if (closed) {
                    return;
                }
                LockSupport.parkNanos(1_000);
            }
        }
        PacketBuffer ev = r.get(seq);
        try {
            ev.fill(type | HOST_SEND, flags, txid, payload, offset, length);
            if (ev.capacity() > PacketBuffer.RETAINED_BYTES) {
                largeBytes.addAndGet(ev.capacity());
            }
        } finally {
            r.publish(seq);
        }
    }

    /**
     * Appends one packet to the host-to-guest ring, waiting for the guest to make room when it is
     * full: the pending send size is set, the write index published, and the thread parks until the
     * guest signals (or 100 µs pass). VSP thread only: the one writer of that ring.
     */
    private void writeToGuest(int type, int flags, long txid, byte[] payload, int offset, int length)
            throws RingCorruptException {
        if (toGuest.tryWrite(type, flags, txid, payload, offset, length)) {
            return;
        }
        publishToGuest(); // what is written must be visible before we wait on the guest
        var guestRing = toGuest.ring();
        guestRing.setPendingSendSize(RingWriter.bytesNeeded(length));
        waitingForSpace = true;
        try {
            while (!closed) {
                if (toGuest.tryWrite(type, flags, txid, payload, offset, length)) {
                    return;
                }
                LockSupport.parkNanos(100_000);
            }
        } finally {
            waitingForSpace = false;
            guestRing.setPendingSendSize(0);
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
     * Disruptor slots now, guest packets and host sends together (at most the in-flight budget plus
     * one packet per producer). Any thread.
     */
    public long largePacketBytes() {
        return largeBytes.get();
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
        disruptor.halt();
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
