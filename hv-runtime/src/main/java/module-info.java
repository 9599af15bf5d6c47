/** The hypervisor core: partitions, guest memory, virtual processors, buses, the backend SPI and the KVM backend. */
module dev.partita.hv {
    requires transitive dev.partita.nativebindings;
    requires java.logging;
    exports dev.partita.hv.host;
    exports dev.partita.hv.cpuid;
}
