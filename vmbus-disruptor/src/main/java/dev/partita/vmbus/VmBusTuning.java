package dev.partita.vmbus;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;

import java.util.function.Supplier;

/**
 * Per-bus knobs: Disruptor ring slots per channel direction (power of two), the wait strategy of
 * the channel threads, the largest packet accepted from a guest ring, the most pages one GPADL
 * may name, and how many GPADLs a guest may hold.
 */
public record VmBusTuning(int ringSlots, Supplier<WaitStrategy> waitStrategy, int maxPacketBytes, int maxGpadlPages,
                          int maxGpadls) {
    public VmBusTuning {
        if (Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException("ringSlots must be a power of two: " + ringSlots);
        }
    }

    /** 1024 slots, blocking waits (no spinning on shared hosts), 256 KiB packets, 64 Ki pages (256 MiB), 4096 GPADLs. */
    public static VmBusTuning defaults() {
        return new VmBusTuning(1024, BlockingWaitStrategy::new, 256 * 1024, 65536, 4096);
    }

    public VmBusTuning withWaitStrategy(Supplier<WaitStrategy> s) {
        return new VmBusTuning(ringSlots, s, maxPacketBytes, maxGpadlPages, maxGpadls);
    }
}
