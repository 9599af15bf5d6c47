/** The hypervisor core: partitions, guest memory, virtual processors, buses, the backend SPI and the KVM backend. */
module dev.partita.hv {
    requires transitive dev.partita.nativebindings;
    exports dev.partita.hv.host;
    exports dev.partita.hv.kvm.sys;
    exports dev.partita.hv.cpuid;
    exports dev.partita.hv.loader;
    exports dev.partita.hv.boot;
    exports dev.partita.hv.acpi;
    exports dev.partita.hv;
    exports dev.partita.hv.memory;
    exports dev.partita.hv.bus;
    exports dev.partita.hv.vp;
    exports dev.partita.hv.exit;
    exports dev.partita.hv.msr;
    exports dev.partita.hv.spi;
    exports dev.partita.hv.hyperv;
    exports dev.partita.hv.devices.debug;
    exports dev.partita.hv.log;
    exports dev.partita.hv.state;
    uses dev.partita.hv.spi.PartitionBackend;
    provides dev.partita.hv.spi.PartitionBackend with dev.partita.hv.kvm.KvmBackend;
    provides java.lang.System.LoggerFinder with dev.partita.hv.log.StderrLoggerFinder;
}
