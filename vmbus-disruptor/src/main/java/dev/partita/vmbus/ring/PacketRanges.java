package dev.partita.vmbus.ring;

import java.util.List;

/**
 * The guest memory a packet names, as the ring reader parsed it: nothing (in-band and completion
 * packets), the checked ranges of a GPA-direct packet, or why a GPA-direct packet's range list was
 * refused. Devices switch on it instead of reading range offsets themselves.
 */
public sealed interface PacketRanges {
    /** A packet type without a range list. */
    None NONE = new None();

    /** A packet type without a range list. */
    record None() implements PacketRanges {
    }

    /** The ranges of a GPA-direct packet, in order (at least one; structure checked, PFNs not yet mapped). */
    record Ranges(List<GpaDirectRange> ranges) implements PacketRanges {
        public Ranges {
            ranges = List.copyOf(ranges);
        }
    }

    /** A GPA-direct packet whose range list is inconsistent; the packet itself was well framed. */
    record Malformed(String reason) implements PacketRanges {
    }
}
