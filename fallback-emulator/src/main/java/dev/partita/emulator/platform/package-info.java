/**
 * The PC platform devices the emulator provides itself (what KVM keeps in the kernel): the 8259
 * PIC pair ({@link dev.partita.emulator.platform.CascadedPic}), the 8254 PIT
 * ({@link dev.partita.emulator.platform.Pit8254}), the I/O APIC
 * ({@link dev.partita.emulator.platform.IoApic}) and one local APIC per vCPU
 * ({@link dev.partita.emulator.platform.LocalApic}), wired per partition by
 * {@link dev.partita.emulator.platform.PcPlatform} (whose Javadoc states the IRQ/GSI routing the
 * ACPI MADT must match). Timers run on a shared {@link dev.partita.emulator.platform.PlatformClock}
 * and fire when a vCPU checks for interrupts; there are no timer threads. Every device saves and
 * restores its state as a record; {@link dev.partita.emulator.platform.PlatformStateCodec} turns the
 * whole platform's state into a versioned, checksummed image.
 */
package dev.partita.emulator.platform;
