package dev.partita.emulator.backend;

import dev.partita.emulator.system.InternalDevices;
import dev.partita.emulator.system.LocalInterruptController;

/**
 * The interrupt controllers and timers the emulator provides itself (what KVM has in the kernel:
 * PIC, PIT, I/O APIC, local APICs), implemented by the platform package's {@code PcPlatform}.
 * One instance per partition.
 *
 * <p>Threading: {@link #setGsiLevel} and {@link #signalMsi} are called from any thread; the
 * per-vCPU objects are used on their vCPU's thread (see {@link LocalInterruptController}).
 */
public interface EmulatedPlatform extends AutoCloseable {

    /** The interrupt controller seen by vCPU {@code index} (its local APIC). */
    LocalInterruptController controllerFor(int index);

    /** The ports and MMIO pages handled inside the emulator for vCPU {@code index} (PIC, PIT, I/O APIC, its LAPIC page). */
    InternalDevices devicesFor(int index);

    /** Drives GSI {@code gsi} to {@code level}. */
    void setGsiLevel(int gsi, boolean level);

    /** A message-signalled interrupt (x86 format: address 0xFEE0_0000 | dest << 12, data = vector | mode). */
    void signalMsi(long address, int data);

    @Override
    default void close() {
    }
}
