package dev.partita.vmbus.testing;

import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A VSP for tests and benchmarks: answers every packet with its payload, as a completion when the
 * guest requested one, otherwise as an in-band packet with the same transaction id. It may complete
 * inline ({@link Vsp#completesInline()}) when constructed so.
 */
public final class EchoVsp implements Vsp {
    /** Interface type GUID of the echo device (Partita's own). */
    public static final UUID INTERFACE_TYPE = UUID.fromString("5a6b7c8d-0e1f-4a2b-9c3d-4e5f60718293");

    private final VspOffer offer;
    private final AtomicLong packets = new AtomicLong();
    private final boolean inline;

    /** An echo VSP whose packets are always handled on the channel's VSP thread. */
    public EchoVsp(UUID instance, int ringBytesEachWay) {
        this(instance, ringBytesEachWay, false);
    }

    /** @param inline what {@link #completesInline()} answers */
    public EchoVsp(UUID instance, int ringBytesEachWay, boolean inline) {
        this.offer = new VspOffer(INTERFACE_TYPE, instance, ringBytesEachWay, ringBytesEachWay);
        this.inline = inline;
    }

    @Override
    public boolean completesInline() {
        return inline;
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
