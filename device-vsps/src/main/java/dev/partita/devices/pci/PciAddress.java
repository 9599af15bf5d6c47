package dev.partita.devices.pci;

/**
 * A function's place on the PCI bus: bus 0-255, device 0-31, function 0-7.
 *
 * @param bus      bus number
 * @param device   device number
 * @param function function number
 */
public record PciAddress(int bus, int device, int function) {
    public PciAddress {
        if (bus < 0 || bus > 255 || device < 0 || device > 31 || function < 0 || function > 7) {
            throw new IllegalArgumentException("no such PCI address " + bus + ":" + device + "." + function);
        }
    }

    @Override
    public String toString() {
        return String.format("%02x:%02x.%x", bus, device, function);
    }
}
