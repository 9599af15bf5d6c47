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

/**
 * Common part of the integration-component VSPs (heartbeat, shutdown, time sync): the host speaks
 * first. On open it sends a version negotiation message; the guest's response names the
 * framework and message versions, after which {@link #onNegotiated} runs and the subclass sends
 * its requests, matching the guest's responses by VMBus transaction id.
 *
 * <p><b>Threads.</b> {@link #open}, {@link #close} run on the bus control thread, {@link #onPacket}
 * on the channel's handler thread; requests may be sent from any thread (the channel's Disruptor
 * ring is multi-producer; its VSP thread writes them to the guest). Periodic work runs on one daemon scheduler thread per VSP. State
 * shared between these threads is volatile or atomic.
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
    private volatile VspChannel channel;
    private volatile IcNegotiation.Agreed agreed;
    private volatile long negotiationTransaction = -1;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> periodic;

    protected IntegrationComponentVsp(String name, UUID interfaceType, UUID instance, List<IcVersion> messageVersions) {
        this.name = name;
        this.offer = new VspOffer(interfaceType, instance, RING_BYTES, RING_BYTES);
        this.messageVersions = List.copyOf(messageVersions);
    }

    @Override
    public final VspOffer offer() {
        return offer;
    }

    /** The agreed versions, or null before negotiation finished (or when it failed). */
    public final IcNegotiation.Agreed agreed() {
        return agreed;
    }

    /** The message versions this component offers, newest first. */
    public final List<IcVersion> messageVersions() {
        return messageVersions;
    }

    @Override
    public final void open(VspChannel ch) {
        this.agreed = null;
        this.channel = ch;
        long tx = nextTransaction.getAndIncrement();
        negotiationTransaction = tx;
        byte[] m = IcMessage.request(IcMessage.TYPE_NEGOTIATE, IcNegotiation.FRAMEWORK.getFirst(), messageVersions.getFirst(),
                nextIcTransaction.getAndIncrement(), IcNegotiation.offer(messageVersions));
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
        if (channel == ch) {
            channel = null;
            agreed = null;
        }
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
        IcMessage.Received m = IcMessage.parse(packet.bytes(), packet.payloadOffset(), packet.payloadLength());
        if (m == null) {
            int length = packet.payloadLength();
            ch.warn(() -> name + ": dropping a " + length + "-byte message shorter than its headers");
            return;
        }
        if (!m.isResponse()) {
            LOG.log(System.Logger.Level.DEBUG, name + ": ignoring a guest message that is not a response");
            return;
        }
        try {
            if (m.type() == IcMessage.TYPE_NEGOTIATE && packet.transactionId() == negotiationTransaction) {
                IcNegotiation.Agreed a = IcNegotiation.parseResponse(m.data(), messageVersions);
                if (a == null) {
                    LOG.log(System.Logger.Level.WARNING, name + ": the guest found no common version");
                    return;
                }
                agreed = a;
                onNegotiated(a);
            } else if (agreed != null) {
                onResponse(packet.transactionId(), m);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": failed handling a response", e);
            ch.fail(name + ": " + e);
        }
    }

    /**
     * Sends a request of {@code type} with {@code data} in the agreed versions; {@code register}
     * receives the VMBus transaction id before the request goes out (so a fast answer finds it).
     * Returns the transaction id, or -1 when the channel is not open and negotiated.
     */
    protected final long sendRequest(int type, byte[] data, java.util.function.LongConsumer register) {
        VspChannel ch = channel;
        IcNegotiation.Agreed a = agreed;
        if (ch == null || a == null) {
            return -1;
        }
        long tx = nextTransaction.getAndIncrement();
        register.accept(tx);
        byte[] m = IcMessage.request(type, a.framework(), a.message(), nextIcTransaction.getAndIncrement(), data);
        ch.send(tx, false, m, 0, m.length);
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
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, name + ": periodic task failed", e);
            }
        }, initialDelayMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Negotiation finished; runs on the handler thread. */
    protected abstract void onNegotiated(IcNegotiation.Agreed agreed);

    /** A response to one of this component's requests; runs on the handler thread. */
    protected abstract void onResponse(long transactionId, IcMessage.Received message);

    /** The channel closed. */
    protected void onClosed() {
    }
}
