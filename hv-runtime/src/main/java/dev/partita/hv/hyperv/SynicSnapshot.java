package dev.partita.hv.hyperv;

import java.util.List;

/**
 * One processor's SynIC registers and the host messages waiting behind its slots (part of
 * {@link HyperVState}). Immutable (arrays and lists are copied).
 *
 * @param scontrol SCONTROL
 * @param siefp    SIEFP
 * @param simp     SIMP
 * @param sint     SINT0-15
 * @param queues   per SINT, the messages not yet in the slot, oldest first
 */
public record SynicSnapshot(long scontrol, long siefp, long simp, long[] sint, List<List<SynicMessage>> queues) {
    public SynicSnapshot {
        if (sint.length != HvMsr.SINT_COUNT || queues.size() != HvMsr.SINT_COUNT) {
            throw new IllegalArgumentException("a SynIC snapshot needs " + HvMsr.SINT_COUNT + " SINTs and queues");
        }
        sint = sint.clone();
        queues = queues.stream().map(List::copyOf).toList();
    }

    @Override
    public long[] sint() {
        return sint.clone();
    }
}
