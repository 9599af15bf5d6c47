package dev.partita.vmbus;

import dev.partita.vmbus.channel.ChannelPipeline;
import dev.partita.vmbus.vsp.Vsp;

/**
 * One channel in the manager's table. Mutable; owned by the manager's thread except
 * {@link #pipeline}, which the signal path reads (volatile).
 */
final class OfferedChannel {
    final int relid;
    final int connectionId;
    final Vsp vsp;
    ChannelState state = ChannelState.OFFERED;
    int ringGpadlId = -1;
    String closeReason;
    volatile ChannelPipeline pipeline;

    OfferedChannel(int relid, int connectionId, Vsp vsp) {
        this.relid = relid;
        this.connectionId = connectionId;
        this.vsp = vsp;
    }
}
