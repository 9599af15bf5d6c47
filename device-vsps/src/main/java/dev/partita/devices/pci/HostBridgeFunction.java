package dev.partita.devices.pci;

/**
 * The host bridge at 00:00.0: an Intel 440BX host bridge (vendor 0x8086, device 0x7192, revision 3,
 * class 06/00/00 "host bridge"; the chipset Hyper-V generation 1 VMs present), header type 0, no BARs,
 * no capabilities, no interrupt pin. Linux's configuration mechanism check looks for a host bridge
 * class on bus 0 before it trusts ports 0xCF8/0xCFC.
 *
 * <p>Writable: the command register's I/O space, memory space, bus master, parity and SERR# enables;
 * cache line size; latency timer; interrupt line. Everything else is read-only.
 *
 * <p>Threads: any virtual processor thread (see {@link ConfigSpace}).
 */
public final class HostBridgeFunction implements PciFunction {
    static final int VENDOR_INTEL = 0x8086;
    static final int DEVICE_440BX = 0x7192;
    static final int REVISION = 0x03;
    /** Class code: base class 0x06 (bridge), subclass 0x00 (host), programming interface 0. */
    static final int CLASS_HOST_BRIDGE = 0x06_00_00;
    /** Command register bits the guest may set: I/O, memory, bus master, parity error response, SERR#. */
    static final int COMMAND_WRITABLE = 0x0147;
    /** Command register at reset: memory space and bus master enabled (the bridge forwards CPU accesses). */
    static final int COMMAND_RESET = 0x0006;
    /** Status: medium DEVSEL timing. */
    static final int STATUS = 0x0200;

    private final ConfigSpace space = new ConfigSpace()
            .init(PciConfigRegisters.VENDOR_ID, 2, VENDOR_INTEL)
            .init(PciConfigRegisters.DEVICE_ID, 2, DEVICE_440BX)
            .init(PciConfigRegisters.COMMAND, 2, COMMAND_RESET)
            .init(PciConfigRegisters.STATUS, 2, STATUS)
            .init(PciConfigRegisters.REVISION_ID, 1, REVISION)
            .init(PciConfigRegisters.CLASS_CODE, 3, CLASS_HOST_BRIDGE)
            .init(PciConfigRegisters.HEADER_TYPE, 1, 0)
            .writableBits(PciConfigRegisters.COMMAND, 2, COMMAND_WRITABLE)
            .writableBits(PciConfigRegisters.CACHE_LINE_SIZE, 1, 0xFF)
            .writableBits(PciConfigRegisters.LATENCY_TIMER, 1, 0xFF)
            .writableBits(PciConfigRegisters.INTERRUPT_LINE, 1, 0xFF);

    @Override
    public int readConfig(int offset, int size) {
        return space.read(offset, size);
    }

    @Override
    public void writeConfig(int offset, int size, int value) {
        space.write(offset, size, value);
    }
}
