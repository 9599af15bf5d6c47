package dev.partita.devices.pci;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfigMechanismPortsTest {
    private final PciBus bus = new PciBus();
    private final ConfigMechanismPorts ports = new ConfigMechanismPorts(bus);

    ConfigMechanismPortsTest() {
        bus.add(PciHostBridge.HOST_BRIDGE, new HostBridgeFunction());
    }

    private void select(int busNo, int device, int function, int register) {
        ports.write(0, 4, 0x8000_0000 | busNo << 16 | device << 11 | function << 8 | register);
    }

    @Test
    void addressRegisterReadsBackWhatLinuxWritesToProbeIt() {
        ports.write(3, 1, 0x01); // Linux's probe writes 0xCFB first: not the address register
        ports.write(0, 4, 0x8000_0000);
        assertEquals(0x8000_0000, ports.read(0, 4));
        ports.write(0, 4, 0xFFFF_FFFF);
        assertEquals(0x80FF_FFFC, ports.read(0, 4), "reserved bits and the low two bits read as 0");
        assertEquals(0xFF, ports.read(1, 1), "byte reads of 0xCF9 are not the address register");
    }

    @Test
    void hostBridgeIdentityThroughTheDataPort() {
        select(0, 0, 0, 0);
        assertEquals(0x7192_8086, ports.read(4, 4));
        assertEquals(0x8086, ports.read(4, 2));
        assertEquals(0x7192, ports.read(6, 2));
        assertEquals(0x92, ports.read(6, 1));
        select(0, 0, 0, 0x08);
        assertEquals(0x0600_0003, ports.read(4, 4), "class 06/00/00, revision 3");
        select(0, 0, 0, 0x0C);
        assertEquals(0x00, ports.read(6, 1), "header type 0, single function");
    }

    @Test
    void emptySlotsAndDisabledCyclesReadAllOnes() {
        select(0, 1, 0, 0);
        assertEquals(-1, ports.read(4, 4));
        select(0, 0, 1, 0);
        assertEquals(0xFFFF, ports.read(4, 2));
        select(1, 0, 0, 0);
        assertEquals(-1, ports.read(4, 4));
        ports.write(0, 4, 0); // enable bit clear
        assertEquals(-1, ports.read(4, 4));
    }

    @Test
    void writesChangeOnlyWritableBits() {
        select(0, 0, 0, 0x04);
        ports.write(4, 4, 0xFFFF_FFFF);
        assertEquals(0x0200_0147, ports.read(4, 4), "command takes its writable bits, status is read-only");
        ports.write(4, 2, 0);
        assertEquals(0x0200_0000, ports.read(4, 4));
        select(0, 0, 0, 0x00);
        ports.write(4, 4, 0x1234_5678);
        assertEquals(0x7192_8086, ports.read(4, 4), "IDs are read-only");
        select(0, 0, 0, 0x3C);
        ports.write(4, 1, 0x0B);
        assertEquals(0x0B, ports.read(4, 4), "interrupt line writable, interrupt pin 0");
        select(0, 0, 0, 0x10);
        ports.write(4, 4, 0xFFFF_FFFF);
        assertEquals(0, ports.read(4, 4), "no BAR 0");
    }

    @Test
    void writesWhileDisabledAreDropped() {
        ports.write(0, 4, 0x3C); // register 0x3C, enable clear
        ports.write(4, 1, 0x0B);
        select(0, 0, 0, 0x3C);
        assertEquals(0, ports.read(4, 1));
    }
}
