package dev.partita.devices.pci;

/** Offsets of the type 0 configuration header registers (PCI Local Bus Specification 3.0, 6.1). */
public final class PciConfigRegisters {
    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION_ID = 0x08;
    /** Programming interface, subclass, base class (3 bytes from 0x09). */
    public static final int CLASS_CODE = 0x09;
    public static final int CACHE_LINE_SIZE = 0x0C;
    public static final int LATENCY_TIMER = 0x0D;
    public static final int HEADER_TYPE = 0x0E;
    public static final int BAR0 = 0x10;
    public static final int INTERRUPT_LINE = 0x3C;
    public static final int INTERRUPT_PIN = 0x3D;

    private PciConfigRegisters() {}
}
