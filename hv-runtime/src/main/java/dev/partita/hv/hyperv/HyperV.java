package dev.partita.hv.hyperv;

import dev.partita.hv.Partition;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The Hyper-V guest interface of one partition: CPUID leaves 0x40000000+, the synthetic MSRs,
 * the hypercall page and dispatcher, and the SynIC. Created once per partition by
 * {@link #attach(Partition)} before the partition starts.
 *
 * <p>SKELETON: the API is final; the implementation is being filled in.
 *
 * <p><b>Threads.</b> All methods are thread-safe.
 */
public final class HyperV {
    private final Partition partition;
    private final ConcurrentMap<Integer, SynicConnectionHandler> connections = new ConcurrentHashMap<>();

    private HyperV(Partition partition) {
        this.partition = partition;
    }

    /**
     * Makes {@code partition} a Hyper-V partition: installs the Hyper-V CPUID leaves on every
     * processor, adds the synthetic-MSR handler to its MSR chain and installs the hypercall
     * dispatcher. Call once, before {@link Partition#start()}.
     *
     * @throws IllegalStateException if the partition has already started
     */
    public static HyperV attach(Partition partition) {
        return new HyperV(Objects.requireNonNull(partition, "partition"));
    }

    /** The partition this interface belongs to. */
    public Partition partition() {
        return partition;
    }

    /** Host-to-guest delivery (messages and event flags). */
    public SynicDelivery synic() {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Routes the guest's HvPostMessage and HvSignalEvent calls for {@code connectionId} to
     * {@code handler}. Any thread, also while the partition runs (the dispatcher sees the change
     * with volatile semantics through a concurrent map).
     *
     * @throws IllegalStateException if another handler is registered for that id
     */
    public void registerConnection(int connectionId, SynicConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        SynicConnectionHandler old = connections.putIfAbsent(connectionId, handler);
        if (old != null && old != handler) {
            throw new IllegalStateException("connection id " + connectionId + " already has a handler");
        }
    }

    /** Removes the handler of {@code connectionId}; later calls for it answer INVALID_CONNECTION_ID. Returns whether one was registered. */
    public boolean unregisterConnection(int connectionId) {
        return connections.remove(connectionId) != null;
    }
}
