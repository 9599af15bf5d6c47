package dev.partita.devices.pci;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EcamWindowTest {
    private final PciBus bus = new PciBus();
    private final EcamWindow ecam = new EcamWindow(bus, 0);

    EcamWindowTest() {
        bus.add(PciHostBridge.HOST_BRIDGE, new HostBridgeFunction());
    }

    private static long at(int busNo, int device, int function, int register) {
        return (long) busNo << 20 | device << 15 | function << 12 | register;
    }

    @Test
    void sameSpaceAsMechanismOne() {
        ConfigMechanismPorts ports = new ConfigMechanismPorts(bus);
        assertEquals(0x7192_8086L, ecam.read(at(0, 0, 0, 0), 4));
        ecam.write(at(0, 0, 0, 0x0D), 1, 0x40);
        ports.write(0, 4, 0x8000_000C);
        assertEquals(0x40, ports.read(5, 1), "latency timer written through ECAM, read through 0xCFD");
    }

    @Test
    void extendedSpaceIsReachableAndEmpty() {
        assertEquals(0L, ecam.read(at(0, 0, 0, 0x100), 4), "no extended capabilities");
        assertEquals(0L, ecam.read(at(0, 0, 0, 0xFFC), 4));
    }

    @Test
    void badAccessesReadAllOnesAndChangeNothing() {
        assertEquals(-1L, ecam.read(at(0, 0, 0, 0), 8), "8-byte access");
        assertEquals(0xFFFF_FFFFL, ecam.read(at(0, 0, 0, 0xFFE), 4), "crosses into the next function");
        ecam.write(at(0, 0, 0, 0x3A), 8, -1L);
        assertEquals(0L, ecam.read(at(0, 0, 0, 0x3C), 1), "8-byte write dropped");
        assertEquals(0xFFFF_FFFFL, ecam.read(at(0, 3, 2, 0), 4), "empty slot");
        assertEquals(0xFFFF_FFFFL, new EcamWindow(bus, 255).read(at(1, 0, 0, 0), 4), "past bus 255");
    }
}
