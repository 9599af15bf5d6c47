package dev.partita.devices.pci;

import dev.partita.hv.Partition;
import dev.partita.hv.acpi.PciConfigWindow;

/**
 * A partition's PCI segment 0: the bus with the host bridge at 00:00.0, reachable through
 * configuration mechanism #1 (ports 0xCF8-0xCFF) and the ECAM window at {@link PciConfigWindow#BASE}
 * that the ACPI MCFG describes. No other functions: an empty slot reads vendor ID 0xFFFF.
 *
 * @param bus the configuration space of every function (add devices here before the guest starts)
 */
public record PciHostBridge(PciBus bus) {
    /** The host bridge's address. */
    public static final PciAddress HOST_BRIDGE = new PciAddress(0, 0, 0);

    /**
     * Creates the bus with its host bridge and registers both access mechanisms on {@code partition}.
     *
     * @throws IllegalArgumentException when the partition's RAM covers the ECAM window
     */
    public static PciHostBridge attach(Partition partition) {
        PciBus bus = new PciBus();
        bus.add(HOST_BRIDGE, new HostBridgeFunction());
        partition.ioBus().register(ConfigMechanismPorts.BASE_PORT, ConfigMechanismPorts.PORT_COUNT, new ConfigMechanismPorts(bus),
                "pci-config");
        partition.mmioBus().register(PciConfigWindow.BASE, PciConfigWindow.SIZE, new EcamWindow(bus, 0), "pci-ecam");
        return new PciHostBridge(bus);
    }
}
