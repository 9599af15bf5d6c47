package dev.partita.vmbus.vsp;

import dev.partita.vmbus.ring.PacketBuffer;

/**
 * A virtualization service provider: the root-side device behind one VMBus channel.
 *
 * <p><b>Threads.</b> {@link #offer()}, {@link #open}, {@link #close} and the state hooks run on the
 * bus's control thread. {@link #onPacket} runs on the channel's VSP handler thread (one thread per
 * open channel, a Disruptor batch at a time) or, when {@link #completesInline()} is true, sometimes
 * on the thread of the guest's signal (a vCPU thread); calls for one channel never overlap and come
 * in ring order, and what the VSP sends from inside them goes straight into the guest's ring. The
 * packet is valid only during the call.
 */
public interface Vsp {
    VspOffer offer();

    /** The guest opened the channel. Throwing refuses the open (OPENCHANNEL_RESULT with a failure status). */
    void open(VspChannel channel);

    /** One packet the guest wrote; {@code endOfBatch} is true for the last of the current batch. */
    void onPacket(VspChannel channel, PacketBuffer packet, boolean endOfBatch);

    /**
     * Whether {@link #onPacket} finishes quickly without blocking (no waiting on other threads,
     * locks held elsewhere or slow devices), so the guest's signalling thread may run it itself when
     * nothing else is queued for the channel, saving the hand-off to the VSP thread. Default false.
     */
    default boolean completesInline() {
        return false;
    }

    /** The channel closed (guest CLOSECHANNEL, unload, failure or rescind); no more packets follow. */
    void close(VspChannel channel);

    /** Device state for a checkpoint (versioned by the VSP itself). */
    default byte[] saveState() {
        return new byte[0];
    }

    /** Restores what {@link #saveState()} produced. */
    default void restoreState(byte[] state) {
    }
}
