package dev.partita.devices.ic;

import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Common part of the integration-component VSPs (heartbeat, shutdown, time sync): the host speaks
 * first. On open it sends a version negotiation message; the guest's response names the
 * framework and message versions, after which {@link #onNegotiated} runs and the subclass sends
 * its requests, matching the guest's responses by VMBus transaction id. Where negotiation stands
 * is an {@link IcChannelState}; guest messages are parsed into {@link IcResponse} records before
 * anything looks at them, and malformed ones are logged and dropped.
 *
 * <p><b>Threads.</b> {@link #open}, {@link #close} run on the bus control thread, {@link #onPacket}
 * on the channel's handler thread; requests may be sent from any thread (the channel's outbound
 * ring is multi-producer; its VSP thread writes them to the guest). Periodic work runs on one daemon
 * scheduler thread per VSP. State shared between these threads is atomic; the negotiation state
 * moves by compare-and-set, so an answer arriving as the channel closes cannot revive it.
 */
public abstract class IntegrationComponentVsp implements Vsp {
    private static final System.Logger LOG = System.getLogger(IntegrationComponentVsp.class.getName());
    /** Ring size offered each way: Linux's hv_utils uses 3 pages of data plus the header. */
    static final int RING_BYTES = 4 * 4096;

    private final VspOffer offer;
    private final String name;
    private final List<IcVersion> messageVersions;
    private final AtomicLong nextTransaction = new AtomicLong(1);
    private final AtomicInteger nextIcTransaction = new AtomicInteger();
    private final AtomicReference<IcChannelState> state = new AtomicReference<>(IcChannelState.CLOSED);
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> periodic;
    /** Held while a periodic task runs; {@link #quiesce()} takes it to know none is sending. */
    private final Object periodicGate = new Object();
    private volatile boolean quiesced;

    protected IntegrationComponentVsp(String name, UUID interfaceType, UUID instance, List<IcVersion> messageVersions) {
        this.name = name;
        this.offer = new VspOffer(interfaceType, instance, RING_BYTES, RING_BYTES);
        this.messageVersions = List.copyOf(messageVersions);
    }

    @Override
    public final VspOffer offer() {
        return offer;
    }

    /** Where the channel stands in version negotiation. */
    public final IcChannelState state() {
        return state.get();
    }

    /** The agreed versions, or null unless the state is {@link IcChannelState.Negotiated}. */
    public final IcNegotiation.Agreed agreed() {
        return state.get() instanceof IcChannelState.Negotiated n ? n.agreed() : null;
    }

    /** The message versions this component offers, newest first. */
    public final List<IcVersion> messageVersions() {
        return messageVersions;
    }

    @Override
    public final void open(VspChannel ch) {
        long tx = nextTransaction.getAndIncrement();
        state.set(new IcChannelState.Negotiating(ch, tx));
        byte[] m = IcMessage.request(IcNegotiation.offer(messageVersions), IcNegotiation.FRAMEWORK.getFirst(),
                messageVersions.getFirst(), nextIcTransaction.getAndIncrement());
        ch.send(tx, false, m, 0, m.length);
    }

    @Override
    public final void close(VspChannel ch) {
        synchronized (this) {
            if (periodic != null) {
                periodic.cancel(false);
                periodic = null;
            }
        }
        state.updateAndGet(s -> channelOf(s) == ch ? IcChannelState.CLOSED : s);
        onClosed();
    }

    /** Stops the scheduler thread (call when the VSP is discarded). */
    public synchronized void shutdownScheduler() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public final void onPacket(VspChannel ch, PacketBuffer packet, boolean endOfBatch) {
        if (packet.type() != PacketType.DATA_IN_BAND) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": ignoring packet of type " + packet.type());
            return;
        }
        IcResponse response;
        try {
            response = IcMessage.parseResponse(packet.bytes(), packet.payloadOffset(), packet.payloadLength());
        } catch (IcProtocolException e) {
            ch.warn(() -> name + ": dropping a guest message: " + e.getMessage());
            return;
        }
        try {
            IcChannelState s = state.get();
            switch (s) {
                case IcChannelState.Negotiating n when response instanceof IcResponse.Negotiate answer
                        && packet.transactionId() == n.transaction() -> negotiated(n, answer);
                case IcChannelState.Negotiated n when !(response instanceof IcResponse.Negotiate) ->
                        onResponse(packet.transactionId(), response);
                default -> LOG.log(System.Logger.Level.DEBUG, name + ": ignoring " + response + " in state " + s);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": failed handling a response", e);
            ch.fail(name + ": " + e);
        }
    }

    private void negotiated(IcChannelState.Negotiating n, IcResponse.Negotiate answer) {
        IcNegotiation.Agreed a;
        try {
            a = IcNegotiation.agree(answer, messageVersions);
        } catch (IcProtocolException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": " + e.getMessage());
            state.compareAndSet(n, new IcChannelState.Refused(n.channel(), e.reason(), e.getMessage()));
            return;
        }
        // Only if the channel was not closed or reopened meanwhile.
        if (state.compareAndSet(n, new IcChannelState.Negotiated(n.channel(), a))) {
            onNegotiated(a);
        }
    }

    private static VspChannel channelOf(IcChannelState s) {
        return switch (s) {
            case IcChannelState.Closed c -> null;
            case IcChannelState.Negotiating n -> n.channel();
            case IcChannelState.Negotiated n -> n.channel();
            case IcChannelState.Refused r -> r.channel();
        };
    }

    /**
     * Sends {@code request} in the agreed versions; {@code register} receives the VMBus transaction
     * id before the request goes out (so a fast answer finds it). Returns the transaction id, or -1
     * when the channel is not open and negotiated.
     */
    protected final long sendRequest(IcRequest request, java.util.function.LongConsumer register) {
        if (!(state.get() instanceof IcChannelState.Negotiated n)) {
            return -1;
        }
        long tx = nextTransaction.getAndIncrement();
        register.accept(tx);
        IcNegotiation.Agreed a = n.agreed();
        byte[] m = IcMessage.request(request, a.framework(), a.message(), nextIcTransaction.getAndIncrement());
        n.channel().send(tx, false, m, 0, m.length);
        return tx;
    }

    /** Runs {@code task} every {@code period} on this VSP's scheduler thread, replacing any earlier task. */
    protected final synchronized void schedulePeriodic(Runnable task, long initialDelayMillis, long periodMillis) {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("ic-" + name).factory());
        }
        if (periodic != null) {
            periodic.cancel(false);
        }
        periodic = scheduler.scheduleAtFixedRate(() -> {
            try {
                synchronized (periodicGate) {
                    if (!quiesced) {
                        task.run();
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, name + ": periodic task failed", e);
            }
        }, initialDelayMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    // ---- pause, save and restore (control thread) ----

    /** Stops the periodic requests; returns once none is being sent. */
    @Override
    public final void quiesce() {
        synchronized (periodicGate) {
            quiesced = true;
        }
    }

    /**
     * Restarts the periodic requests. A negotiated component starts again as on negotiation
     * ({@link #onNegotiated}): the heartbeat beats at once and the time synchronization sends the
     * host's time with the SYNC flag, as Hyper-V does when a VM resumes, so the guest corrects
     * the clock that stood still while the VM was paused or saved.
     */
    @Override
    public final void resume() {
        quiesced = false;
        if (state.get() instanceof IcChannelState.Negotiated n) {
            onNegotiated(n.agreed());
        }
    }

    /** The channel is open again after a restore; {@link #restoreState} then sets where negotiation stood. */
    @Override
    public final void reopen(VspChannel ch) {
        state.set(new IcChannelState.Negotiating(ch, -1));
    }

    /**
     * Saved state (version 1): u8 version, u8 state (0 closed, 1 negotiating, 2 negotiated, 3
     * refused), u64 negotiation transaction id, u16 framework major, minor, u16 message major,
     * minor, u8 refusal reason, u64 next VMBus transaction id, u32 next IC transaction id;
     * little-endian.
     */
    @Override
    public final byte[] saveState() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(SAVED_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        IcChannelState s = state.get();
        b.put((byte) 1);
        switch (s) {
            case IcChannelState.Closed c -> b.put((byte) 0).putLong(0).putLong(0).put((byte) 0);
            case IcChannelState.Negotiating n -> b.put((byte) 1).putLong(n.transaction()).putLong(0).put((byte) 0);
            case IcChannelState.Negotiated n -> b.put((byte) 2).putLong(0)
                    .putShort((short) n.agreed().framework().major()).putShort((short) n.agreed().framework().minor())
                    .putShort((short) n.agreed().message().major()).putShort((short) n.agreed().message().minor())
                    .put((byte) 0);
            case IcChannelState.Refused r -> b.put((byte) 3).putLong(0).putLong(0).put((byte) r.reason().ordinal());
        }
        b.putLong(nextTransaction.get()).putInt(nextIcTransaction.get());
        return b.array();
    }

    private static final int SAVED_BYTES = 1 + 1 + 8 + 8 + 1 + 8 + 4;

    /**
     * Restores {@link #saveState()} output; a channel saved open must have been {@link #reopen reopened}.
     *
     * @throws IllegalArgumentException when the state is malformed or names versions this component does not speak
     */
    @Override
    public final void restoreState(byte[] saved) {
        if (saved.length != SAVED_BYTES || saved[0] != 1) {
            throw new IllegalArgumentException(name + ": saved state of " + saved.length + " bytes, version "
                    + (saved.length > 0 ? saved[0] : -1) + " (expected " + SAVED_BYTES + " bytes, version 1)");
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(saved).order(java.nio.ByteOrder.LITTLE_ENDIAN).position(1);
        int kind = b.get();
        long tx = b.getLong();
        IcVersion framework = new IcVersion(b.getShort() & 0xFFFF, b.getShort() & 0xFFFF);
        IcVersion message = new IcVersion(b.getShort() & 0xFFFF, b.getShort() & 0xFFFF);
        int reason = b.get() & 0xFF;
        long next = b.getLong();
        int nextIc = b.getInt();
        VspChannel ch = channelOf(state.get());
        if ((kind == 0) != (ch == null)) {
            throw new IllegalArgumentException(name + ": saved with its channel " + (kind == 0 ? "closed" : "open")
                    + ", restored with it " + (ch == null ? "closed" : "open"));
        }
        IcChannelState restored = switch (kind) {
            case 0 -> IcChannelState.CLOSED;
            case 1 -> new IcChannelState.Negotiating(ch, tx);
            case 2 -> {
                if (!IcNegotiation.FRAMEWORK.contains(framework) || !messageVersions.contains(message)) {
                    throw new IllegalArgumentException(name + ": saved versions " + framework + "/" + message
                            + " are not ones this component speaks");
                }
                yield new IcChannelState.Negotiated(ch, new IcNegotiation.Agreed(framework, message));
            }
            case 3 -> {
                if (reason >= IcProtocolException.Reason.values().length) {
                    throw new IllegalArgumentException(name + ": saved refusal reason " + reason);
                }
                yield new IcChannelState.Refused(ch, IcProtocolException.Reason.values()[reason], "refused before the VM was saved");
            }
            default -> throw new IllegalArgumentException(name + ": saved channel state " + kind);
        };
        if (next < 1) {
            throw new IllegalArgumentException(name + ": saved next transaction id " + next);
        }
        state.set(restored);
        nextTransaction.set(next);
        nextIcTransaction.set(nextIc);
    }

    /** Negotiation finished; runs on the handler thread. */
    protected abstract void onNegotiated(IcNegotiation.Agreed agreed);

    /** A guest answer received after negotiation (to one of this component's requests); runs on the handler thread. */
    protected abstract void onResponse(long transactionId, IcResponse response);

    /** The channel closed. */
    protected void onClosed() {
    }
}
