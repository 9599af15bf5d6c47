package dev.partita.vmbus;

import dev.partita.hv.hyperv.HvStatus;
import dev.partita.hv.hyperv.SynicConnectionHandler;
import dev.partita.vmbus.channel.ChannelPipeline;
import dev.partita.vmbus.vsp.Vsp;

/**
 * One channel in the manager's table, and the handler registered for its connection id: the
 * port resolves a guest's HvSignalEvent to this object, which hands it to the open pipeline
 * without a second lookup. Mutable; owned by the manager's thread except {@link #pipeline},
 * which the signal path reads (volatile).
 */
final class OfferedChannel implements SynicConnectionHandler {
    final int relid;
    final int connectionId;
    final Vsp vsp;
    ChannelState state = ChannelState.OFFERED;
    int ringGpadlId = -1;
    /** Page of the ring GPADL where the host-to-guest ring starts (valid while open). */
    int downstreamPageOffset;
    String closeReason;
    volatile ChannelPipeline pipeline;

    OfferedChannel(int relid, int connectionId, Vsp vsp) {
        this.relid = relid;
        this.connectionId = connectionId;
        this.vsp = vsp;
    }

    /** Channel connection ids carry events only. */
    @Override
    public int onPostMessage(int vpIndex, int connectionId, int messageType, byte[] payload) {
        return HvStatus.INVALID_CONNECTION_ID;
    }

    /** The guest signalled the channel: drain its ring (vCPU thread; never blocks). */
    @Override
    public int onSignalEvent(int vpIndex, int connectionId, int flagNumber) {
        ChannelPipeline p = pipeline;
        if (p != null) {
            p.onGuestSignal();
        }
        return HvStatus.SUCCESS;
    }
}
