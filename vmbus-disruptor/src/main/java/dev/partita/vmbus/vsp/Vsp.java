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

    /**
     * A channel that was open when the VM was saved is open again after a restore: the VSP takes
     * it up without any protocol exchange (the guest believes it never closed);
     * {@link #restoreState} follows once every channel of the bus is reopened. By default the
     * same as {@link #open}. Control thread.
     */
    default void reopen(VspChannel channel) {
        open(channel);
    }

    /**
     * The VM is pausing: stop sending on your own (timers, other host threads) until
     * {@link #resume()}. When this returns, nothing but guest packets makes the VSP send.
     * Control thread.
     */
    default void quiesce() {
    }

    /**
     * The VM continues after a pause, or after a restore before its processors start: restart
     * what {@link #quiesce()} stopped. Control thread.
     */
    default void resume() {
    }

    /** Device state for a checkpoint (versioned by the VSP itself). */
    default byte[] saveState() {
        return new byte[0];
    }

    /**
     * Restores what {@link #saveState()} produced.
     *
     * @throws IllegalArgumentException when {@code state} is malformed
     */
    default void restoreState(byte[] state) {
    }
}
