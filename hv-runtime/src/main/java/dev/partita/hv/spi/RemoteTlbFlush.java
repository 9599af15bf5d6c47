package dev.partita.hv.spi;

import java.util.BitSet;

/**
 * Invalidation of other virtual processors' cached address translations, for the Hyper-V
 * remote TLB flush hypercalls. A backend offers it only where it can make the flush complete
 * before the call returns (the emulator: its soft TLBs).
 *
 * <p>Threads: called on a vCPU thread while that processor is in a hypercall (not executing
 * guest code), concurrently from several.
 */
public interface RemoteTlbFlush {

    /**
     * Invalidates every cached translation of the processors in {@code vps} (indices at or above
     * the processor count are ignored). Returns when none of them can use a translation cached
     * before the call: each has flushed, or will flush before it executes another guest instruction.
     */
    void flush(BitSet vps);
}
