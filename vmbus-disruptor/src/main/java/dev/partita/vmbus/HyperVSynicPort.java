package dev.partita.vmbus;

import dev.partita.hv.hyperv.HyperV;
import dev.partita.hv.hyperv.SynicConnectionHandler;
import dev.partita.hv.hyperv.SynicDelivery;

/** {@link SynicPort} over a partition's {@link HyperV} (hv-runtime). Thread-safe like HyperV itself. */
public record HyperVSynicPort(HyperV hyperV) implements SynicPort {
    @Override
    public SynicDelivery synic() {
        return hyperV.synic();
    }

    @Override
    public int processorCount() {
        return hyperV.partition().processors().size();
    }

    @Override
    public void registerConnection(int connectionId, SynicConnectionHandler handler) {
        hyperV.registerConnection(connectionId, handler);
    }

    @Override
    public boolean unregisterConnection(int connectionId) {
        return hyperV.unregisterConnection(connectionId);
    }
}
