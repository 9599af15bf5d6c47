package dev.partita.vmbus.channel;

import dev.partita.hv.hyperv.SynicDelivery;
import dev.partita.vmbus.protocol.VmbusVersion;

/** Raises a channel's event flag (bit = relid) on SINT2 of the channel's target processor. Thread-safe. */
record GuestSignal(SynicDelivery synic, int targetVp, int relid) {
    void raise() {
        synic.signalEvent(targetVp, VmbusVersion.MESSAGE_SINT, relid);
    }
}
