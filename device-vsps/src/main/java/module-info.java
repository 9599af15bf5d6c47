/** Synthetic VMBus devices (storage, network, integration components) and emulated legacy devices. */
module dev.partita.devices {
    requires transitive dev.partita.vmbus;
    exports dev.partita.devices.legacy;
    exports dev.partita.devices.pci;
    exports dev.partita.devices.storage;
    exports dev.partita.devices.ic;
    exports dev.partita.devices.storage.scsi;
    exports dev.partita.devices.storage.disk;
    exports dev.partita.devices.storage.disk.vhdx;
}
