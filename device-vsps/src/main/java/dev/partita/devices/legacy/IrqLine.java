package dev.partita.devices.legacy;

import dev.partita.hv.Partition;

/**
 * An interrupt request line a device drives. ISA devices here are edge-triggered, active high: the
 * interrupt controller sees the rising edge. Implementations must be callable from any thread.
 */
@FunctionalInterface
public interface IrqLine {
    /** Drives the line to {@code level}; devices call this only when the level changes. */
    void set(boolean level);

    /** The partition's GSI {@code gsi} (ISA IRQs 1 and 3-15 are GSIs of the same number). */
    static IrqLine gsi(Partition partition, int gsi) {
        return level -> {
            if (level) {
                partition.raiseGsi(gsi);
            } else {
                partition.lowerGsi(gsi);
            }
        };
    }

    /** A line connected to nothing. */
    static IrqLine none() {
        return level -> { };
    }
}
