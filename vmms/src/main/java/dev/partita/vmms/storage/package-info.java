/**
 * Disks for Linux guests on the command line: scratch disks for {@code partita demo}
 * ({@link dev.partita.vmms.storage.ScratchDisks}). {@code partita run --disk PATH[,ro]} is parsed by
 * {@link dev.partita.devices.storage.DiskSpec} and attached by the VM worker through
 * {@link dev.partita.devices.storage.StorageControllers}. The guest-level storage tests (ext4 images made on
 * the host, read-only disks, host-requested shutdown, SIGKILL crash safety) live in this package's tests.
 */
package dev.partita.vmms.storage;
