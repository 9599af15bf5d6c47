package dev.partita.vmbus;

import dev.partita.hv.hyperv.SynicConnectionHandler;
import dev.partita.hv.hyperv.SynicDelivery;

/**
 * What VMBus needs from a partition's Hyper-V interface: host-to-guest delivery and routing of
 * guest-to-host connection ids. {@link HyperVSynicPort} adapts hv-runtime's {@code HyperV};
 * {@code dev.partita.vmbus.client.LoopbackHypervisor} (test sources) stands in for it in tests and benchmarks.
 *
 * <p><b>Threads.</b> Implementations are thread-safe.
 */
public interface SynicPort {
    SynicDelivery synic();

    /** Virtual processors of the partition; valid vp indices are {@code 0 .. processorCount() - 1}. */
    int processorCount();

    /** Routes HvPostMessage / HvSignalEvent for {@code connectionId} to {@code handler}. */
    void registerConnection(int connectionId, SynicConnectionHandler handler);

    /** Removes a route; returns whether one existed. */
    boolean unregisterConnection(int connectionId);
}
