package dev.partita.vmbus;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;

import java.util.function.Supplier;

/**
 * Per-bus knobs and the memory bounds they set.
 *
 * @param ringSlots      Disruptor ring slots per channel (power of two); each slot keeps
 *                       at most {@link dev.partita.vmbus.ring.PacketBuffer#RETAINED_BYTES} between packets
 * @param waitStrategy   wait strategy of the channel threads
 * @param maxPacketBytes largest packet accepted from a guest ring (the guest's ring size bounds it too)
 * @param maxGpadlPages  most pages one GPADL may name
 * @param maxGpadls      most GPADLs (established and being assembled) a guest may hold; the pages
 *                       of all of them together are also bounded by the guest's RAM pages
 * @param inFlightBytes  per channel: bytes of packets larger than {@code RETAINED_BYTES} that may
 *                       wait in the Disruptor at once (at least one such packet always may); the
 *                       guest ring keeps the rest
 */
public record VmBusTuning(int ringSlots, Supplier<WaitStrategy> waitStrategy, int maxPacketBytes, int maxGpadlPages,
                          int maxGpadls, int inFlightBytes) {
    public VmBusTuning {
        if (Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException("ringSlots must be a power of two: " + ringSlots);
        }
        if (maxPacketBytes < 64 || maxGpadlPages < 1 || maxGpadls < 1 || inFlightBytes < 0) {
            throw new IllegalArgumentException("VMBus tuning: packet " + maxPacketBytes + " B, GPADL pages "
                    + maxGpadlPages + ", GPADLs " + maxGpadls + ", in flight " + inFlightBytes + " B");
        }
    }

    /** The tuning with the default in-flight budget of large packets (1 MiB per channel). */
    public VmBusTuning(int ringSlots, Supplier<WaitStrategy> waitStrategy, int maxPacketBytes, int maxGpadlPages,
                       int maxGpadls) {
        this(ringSlots, waitStrategy, maxPacketBytes, maxGpadlPages, maxGpadls, 1 << 20);
    }

    /**
     * 1024 slots, blocking waits (no spinning on shared hosts), 256 KiB packets, 64 Ki pages per
     * GPADL, 4096 GPADLs, 1 MiB of large packets in flight per channel. A channel's Disruptor
     * buffers then hold at most 1024 x 2 KiB + 1 MiB + 256 KiB = 3.25 MiB.
     */
    public static VmBusTuning defaults() {
        return new VmBusTuning(1024, BlockingWaitStrategy::new, 256 * 1024, 65536, 4096, 1 << 20);
    }

    public VmBusTuning withWaitStrategy(Supplier<WaitStrategy> s) {
        return new VmBusTuning(ringSlots, s, maxPacketBytes, maxGpadlPages, maxGpadls, inFlightBytes);
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
