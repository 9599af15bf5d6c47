/**
 * The per-VM worker: {@link dev.partita.vmms.worker.LinuxVmWorker} composes a running Linux VM (partition,
 * Hyper-V interface, VMBus server and VSPs, legacy devices, ACPI tables, boot loader) from a
 * {@link dev.partita.vmms.worker.VmDefinition}.
 */
package dev.partita.vmms.worker;
