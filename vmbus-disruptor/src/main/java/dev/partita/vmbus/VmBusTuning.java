package dev.partita.vmbus;

import com.lmax.disruptor.WaitStrategy;
import dev.partita.vmbus.channel.SpinThenBlockWaitStrategy;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Per-bus knobs and the memory bounds they set.
 *
 * @param ringSlots      Disruptor ring slots per channel (power of two); each slot keeps
 *                       at most {@link dev.partita.vmbus.ring.PacketBuffer#RETAINED_BYTES} between packets
 * @param waitStrategy   wait strategy of the channel threads (a new instance per open channel)
 * @param maxPacketBytes largest packet accepted from a guest ring (the guest's ring size bounds it too)
 * @param maxGpadlPages  most pages one GPADL may name
 * @param maxGpadls      most GPADLs (established and being assembled) a guest may hold; the pages
 *                       of all of them together are also bounded by the guest's RAM pages
 * @param inFlightBytes  per channel: bytes of packets larger than {@code RETAINED_BYTES} that may
 *                       wait in the Disruptor at once (at least one such packet always may); the
 *                       guest ring keeps the rest
 * @param channelWaitStrategies per channel class (offer interface type): a wait strategy that
 *                       replaces {@code waitStrategy} for the channels of that class
 */
public record VmBusTuning(int ringSlots, Supplier<WaitStrategy> waitStrategy, int maxPacketBytes, int maxGpadlPages,
                          int maxGpadls, int inFlightBytes, Map<UUID, Supplier<WaitStrategy>> channelWaitStrategies) {
    /** The default spin window of channel threads: see {@link #defaults()}. */
    public static final long DEFAULT_MAX_SPIN_MICROS = 50;

    public VmBusTuning {
        channelWaitStrategies = Map.copyOf(channelWaitStrategies);
        if (Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException("ringSlots must be a power of two: " + ringSlots);
        }
        if (maxPacketBytes < 64 || maxGpadlPages < 1 || maxGpadls < 1 || inFlightBytes < 0) {
            throw new IllegalArgumentException("VMBus tuning: packet " + maxPacketBytes + " B, GPADL pages "
                    + maxGpadlPages + ", GPADLs " + maxGpadls + ", in flight " + inFlightBytes + " B");
        }
    }

    /** The tuning with one wait strategy for every channel. */
    public VmBusTuning(int ringSlots, Supplier<WaitStrategy> waitStrategy, int maxPacketBytes, int maxGpadlPages,
                       int maxGpadls, int inFlightBytes) {
        this(ringSlots, waitStrategy, maxPacketBytes, maxGpadlPages, maxGpadls, inFlightBytes, Map.of());
    }

    /** The tuning with the default in-flight budget of large packets (1 MiB per channel). */
    public VmBusTuning(int ringSlots, Supplier<WaitStrategy> waitStrategy, int maxPacketBytes, int maxGpadlPages,
                       int maxGpadls) {
        this(ringSlots, waitStrategy, maxPacketBytes, maxGpadlPages, maxGpadls, 1 << 20);
    }

    /**
     * 1024 slots, {@link SpinThenBlockWaitStrategy} with a window of 1 to
     * {@value #DEFAULT_MAX_SPIN_MICROS} µs (a guest's next request after a completion usually comes
     * within that window, and the thread yields while it spins, so vCPU threads on the same core
     * still run; an idle channel blocks after one window and uses no CPU), 256 KiB packets, 64 Ki
     * pages per GPADL, 4096 GPADLs, 1 MiB of large packets in flight per channel. A channel's
     * Disruptor buffers then hold at most 1024 x 2 KiB + 1 MiB + 256 KiB = 3.25 MiB.
     */
    public static VmBusTuning defaults() {
        return new VmBusTuning(1024, () -> SpinThenBlockWaitStrategy.upTo(DEFAULT_MAX_SPIN_MICROS),
                256 * 1024, 65536, 4096, 1 << 20);
    }

    /** This tuning with another wait strategy for every channel without one of its own. */
    public VmBusTuning withWaitStrategy(Supplier<WaitStrategy> s) {
        return new VmBusTuning(ringSlots, s, maxPacketBytes, maxGpadlPages, maxGpadls, inFlightBytes,
                channelWaitStrategies);
    }

    /** This tuning with a wait strategy of their own for the channels whose offer has {@code interfaceType}. */
    public VmBusTuning withChannelWaitStrategy(UUID interfaceType, Supplier<WaitStrategy> s) {
        var m = new java.util.HashMap<>(channelWaitStrategies);
        m.put(interfaceType, s);
        return new VmBusTuning(ringSlots, waitStrategy, maxPacketBytes, maxGpadlPages, maxGpadls, inFlightBytes, m);
    }

    /** A new wait strategy for one channel of the class {@code interfaceType}. Any thread. */
    public WaitStrategy newWaitStrategy(UUID interfaceType) {
        return channelWaitStrategies.getOrDefault(interfaceType, waitStrategy).get();
    }

    /**
     * The most bytes one open channel's Disruptor ring may hold in packet buffers: every slot's
     * retained buffer, the in-flight budget and one packet over it (plus one packet per other
     * host thread sending at that moment).
     */
    public long channelBufferBound() {
        return (long) ringSlots * dev.partita.vmbus.ring.PacketBuffer.RETAINED_BYTES + inFlightBytes + maxPacketBytes;
    }
}
