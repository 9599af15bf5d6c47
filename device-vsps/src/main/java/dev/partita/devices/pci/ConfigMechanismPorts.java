package dev.partita.devices.pci;

import dev.partita.hv.bus.PortIoDevice;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * PCI configuration mechanism #1 on ports 0xCF8-0xCFF: a 32-bit write to 0xCF8 selects
 * {@code enable(31) | bus(23:16) | device(15:11) | function(10:8) | register(7:2)}, and accesses of any
 * size to 0xCFC-0xCFF reach that register's bytes. While the enable bit is clear the data ports read all
 * ones and ignore writes. Only 32-bit accesses reach the address register; narrower accesses to
 * 0xCF8-0xCFB read all ones and are dropped (they are other chipset registers on a PC).
 *
 * <p>Threads: any virtual processor thread. The address register is one value shared by all of them, as
 * on hardware; a guest serializes its own configuration cycles.
 */
public final class ConfigMechanismPorts implements PortIoDevice {
    /** First port (the address register). */
    public static final int BASE_PORT = 0xCF8;
    /** Ports claimed: address 0xCF8-0xCFB, data 0xCFC-0xCFF. */
    public static final int PORT_COUNT = 8;
    static final int DATA_OFFSET = 4;
    static final int ENABLE = 0x8000_0000;
    /** Bits of the address register that hold state: enable, bus, device, function, dword register. */
    static final int ADDRESS_BITS = ENABLE | 0x00FF_FFFC;

    private final PciBus bus;
    private final AtomicInteger address = new AtomicInteger();

    public ConfigMechanismPorts(PciBus bus) {
        this.bus = bus;
    }

    @Override
    public int read(int offset, int size) {
        if (offset < DATA_OFFSET) {
            return offset == 0 && size == 4 ? address.get() : allOnes(size);
        }
        int a = address.get();
        if ((a & ENABLE) == 0) {
            return allOnes(size);
        }
        return bus.read(target(a), (a & 0xFC) + offset - DATA_OFFSET, size);
    }

    @Override
    public void write(int offset, int size, int value) {
        if (offset < DATA_OFFSET) {
            if (offset == 0 && size == 4) {
                address.set(value & ADDRESS_BITS);
            }
            return;
        }
        int a = address.get();
        if ((a & ENABLE) != 0) {
            bus.write(target(a), (a & 0xFC) + offset - DATA_OFFSET, size, value);
        }
    }

    private static PciAddress target(int a) {
        return new PciAddress((a >>> 16) & 0xFF, (a >>> 11) & 0x1F, (a >>> 8) & 0x7);
    }

    private static int allOnes(int size) {
        return size == 4 ? -1 : (1 << (size * 8)) - 1;
    }
}
