package dev.partita.vmbus;

import dev.partita.hv.hyperv.HvStatus;
import dev.partita.hv.hyperv.SynicConnectionHandler;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.protocol.VmbusVersion;
import dev.partita.vmbus.vsp.Vsp;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The root side of VMBus for one partition. Management messages the guest posts (connection ids
 * 1 and 4) are queued to one control thread that runs the {@link ChannelManager}; channel
 * signals go straight from the vCPU thread to the channel's pipeline. Neither path blocks the vCPU.
 *
 * <p><b>Backpressure.</b> At most {@value #MAX_QUEUED_MESSAGES} guest messages wait for the control
 * thread; a HvPostMessage beyond that is refused with {@code HV_STATUS_INSUFFICIENT_BUFFERS}
 * (0x13), which Linux's {@code vmbus_post_msg} answers by retrying after a delay. So a guest's
 * message storm holds at most 64 x 240 bytes of payload here. Host requests ({@link #offer},
 * {@link #rescind}, channel failures, at most one per open channel) are not counted against it.
 * Guest faults are logged through one {@link GuestLog} per bus (rate-limited).
 *
 * <pre>{@code
 * VmBus bus = VmBus.attach(partitionMemory, new HyperVSynicPort(hyperV), VmBusTuning.defaults());
 * int relid = bus.offer(new StorageVsp(...));
 * }</pre>
 *
 * <p><b>Threads.</b> All public methods are thread-safe; {@link #offer}, {@link #rescind} and
 * {@link #inspect} wait for the control thread.
 */
public final class VmBus implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(VmBus.class.getName());

    private final SynicPort port;
    private final ExecutorService control;
    private final ChannelManager manager;
    private final SynicConnectionHandler messages = new ManagementConnection();
    private final GuestLog log = GuestLog.forPartition();
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong refusedMessages = new AtomicLong();

    /** Guest management messages that may wait for the control thread at once. */
    public static final int MAX_QUEUED_MESSAGES = 64;

    private VmBus(GuestMemory memory, SynicPort port, VmBusTuning tuning) {
        this.port = port;
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vmbus-control");
            t.setDaemon(true);
            return t;
        });
        this.manager = new ChannelManager(memory, port, tuning, this::onChannelFailed, log);
    }

    private void onChannelFailed(int relid, dev.partita.vmbus.channel.ChannelPipeline pipeline, String reason) {
        submit(() -> manager.channelFailed(relid, pipeline, reason));
    }

    /** Creates the bus and registers its management connection ids (1 and 4) with {@code port}. */
    public static VmBus attach(GuestMemory memory, SynicPort port, VmBusTuning tuning) {
        VmBus bus = new VmBus(memory, port, tuning);
        port.registerConnection(VmbusVersion.MESSAGE_CONNECTION_ID, bus.messages);
        port.registerConnection(VmbusVersion.MESSAGE_CONNECTION_ID_4, bus.messages);
        return bus;
    }

    private final class ManagementConnection implements SynicConnectionHandler {
        @Override
        public int onPostMessage(int vpIndex, int connectionId, int messageType, byte[] payload) {
            if (queuedMessages.incrementAndGet() > MAX_QUEUED_MESSAGES) {
                queuedMessages.decrementAndGet();
                refusedMessages.incrementAndGet();
                return HvStatus.INSUFFICIENT_BUFFERS;
            }
            boolean queued = submit(() -> {
                try {
                    manager.handleMessage(vpIndex, connectionId, messageType, payload);
                } finally {
                    queuedMessages.decrementAndGet();
                }
            });
            if (!queued) {
                queuedMessages.decrementAndGet();
                return HvStatus.INSUFFICIENT_BUFFERS;
            }
            return HvStatus.SUCCESS;
        }

        @Override
        public int onSignalEvent(int vpIndex, int connectionId, int flagNumber) {
            return HvStatus.SUCCESS; // nothing is signalled on the management connection
        }
    }

    private boolean submit(Runnable r) {
        try {
            control.execute(r);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** HvPostMessage calls refused with INSUFFICIENT_BUFFERS because the queue was full. Any thread. */
    public long refusedMessages() {
        return refusedMessages.get();
    }

    /** The rate-limited log of this partition's guest faults. */
    public GuestLog guestLog() {
        return log;
    }

    /** Adds a channel for {@code vsp} (offered at once if the guest already asked). Returns its relid. */
    public int offer(Vsp vsp) {
        return call(() -> manager.offer(vsp));
    }

    /** Closes and rescinds channel {@code relid}. */
    public void rescind(int relid) {
        call(() -> {
            manager.rescind(relid, "removed by the host");
            return null;
        });
    }

    /** Runs {@code query} on the control thread against the manager (for tests and diagnostics). */
    public <T> T inspect(java.util.function.Function<ChannelManager, T> query) {
        return call(() -> query.apply(manager));
    }

    /** The layout version of {@link #saveState()}. */
    public static final int STATE_VERSION = BusStateCodec.VERSION;

    /**
     * With the partition's processors paused: handles the guest messages already queued, stops
     * the VSPs' own senders and waits until every open channel is idle (see
     * {@link ChannelManager#quiesce()}). Waits for the control thread.
     *
     * @throws IllegalStateException when a channel does not come to rest
     */
    public void quiesce() {
        call(() -> {
            manager.quiesce();
            return null;
        });
    }

    /** Restarts the VSPs' own senders after {@link #quiesce()} or {@link #restoreState}. */
    public void resume() {
        call(() -> {
            manager.resume();
            return null;
        });
    }

    /** The bus's state (connection, GPADLs, channels, VSP states); call after {@link #quiesce()}. */
    public byte[] saveState() {
        return call(manager::saveState);
    }

    /**
     * Loads what {@link #saveState()} wrote into this bus, freshly attached with the same offers,
     * before the partition's processors start (guest memory already restored).
     *
     * @throws IllegalArgumentException when the state is malformed or does not fit this bus
     */
    public void restoreState(byte[] state) {
        call(() -> {
            manager.restoreState(state);
            return null;
        });
    }

    private <T> T call(Callable<T> c) {
        Future<T> f = control.submit(c);
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("VMBus control task failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the VMBus control thread", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("VMBus control thread did not answer in 30 s", e);
        }
    }

    /** Closes every channel, unregisters the connections and stops the control thread. */
    @Override
    public void close() {
        port.unregisterConnection(VmbusVersion.MESSAGE_CONNECTION_ID);
        port.unregisterConnection(VmbusVersion.MESSAGE_CONNECTION_ID_4);
        try {
            call(() -> {
                manager.shutdown();
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "VMBus close: " + e);
        }
        control.shutdown();
    }
}
