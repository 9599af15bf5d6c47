/** A pure-Java x86-64 processor emulator behind the hv-runtime backend SPI. */
module dev.partita.emulator {
    requires transitive dev.partita.hv;

    exports dev.partita.emulator.cpu;
    exports dev.partita.emulator.mmu;
    exports dev.partita.emulator.system;
    exports dev.partita.emulator.backend;

    provides dev.partita.hv.spi.PartitionBackend with dev.partita.emulator.backend.EmulatorBackend;
}
