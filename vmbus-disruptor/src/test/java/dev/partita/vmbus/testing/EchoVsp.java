package dev.partita.vmbus.testing;

import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A VSP for tests and benchmarks: answers every packet with its payload, as a completion when the
 * guest requested one, otherwise as an in-band packet with the same transaction id.
 */
public final class EchoVsp implements Vsp {
    /** Interface type GUID of the echo device (Partita's own). */
    public static final UUID INTERFACE_TYPE = UUID.fromString("5a6b7c8d-0e1f-4a2b-9c3d-4e5f60718293");

    private final VspOffer offer;
    private final AtomicLong packets = new AtomicLong();

    public EchoVsp(UUID instance, int ringBytesEachWay) {
        this.offer = new VspOffer(INTERFACE_TYPE, instance, ringBytesEachWay, ringBytesEachWay);
    }

    @Override
    public VspOffer offer() {
        return offer;
    }

    @Override
    public void open(VspChannel channel) {
    }

    @Override
    public void onPacket(VspChannel channel, PacketBuffer p, boolean endOfBatch) {
        packets.lazySet(packets.get() + 1);
        if (p.completionRequested()) {
            channel.complete(p.transactionId(), p.bytes(), p.payloadOffset(), p.payloadLength());
        } else {
            channel.send(p.transactionId(), false, p.bytes(), p.payloadOffset(), p.payloadLength());
        }
    }

    @Override
    public void close(VspChannel channel) {
    }

    /** Packets handled so far. */
    public long packets() {
        return packets.get();
    }
}
