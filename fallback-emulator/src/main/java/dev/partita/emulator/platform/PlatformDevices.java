package dev.partita.emulator.platform;

import dev.partita.emulator.system.InternalDevices;

/**
 * One vCPU's view of the platform's ports and MMIO: the 8259 pair (0x20/0x21, 0xA0/0xA1, ELCR
 * 0x4D0/0x4D1), the 8254 (0x40-0x43) and port 0x61, the I/O APIC page at 0xFEC00000, and this
 * vCPU's own local APIC page (at its APIC base while the APIC is enabled in xAPIC mode). Accesses
 * complete synchronously on the vCPU thread. Port accesses wider than a byte are split into
 * bytes at consecutive ports, as the ISA bus does.
 *
 * <p>Threading: the vCPU thread of its vCPU; partition-wide devices are taken under the
 * platform's device lock.
 */
final class PlatformDevices implements InternalDevices {

    private final PcPlatform platform;
    private final LocalApic apic;

    PlatformDevices(PcPlatform platform, LocalApic apic) {
        this.platform = platform;
        this.apic = apic;
    }

    @Override
    public boolean claimsPort(int port) {
        return CascadedPic.claims(port) || Pit8254.claims(port);
    }

    @Override
    public int readPort(int port, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readByte(port + i) << (8 * i);
        }
        return v;
    }

    private int readByte(int port) {
        synchronized (platform.deviceLock()) {
            platform.pit().poll();
            platform.pitChanged();
            if (CascadedPic.claims(port)) {
                return platform.pic().read(port);
            }
            if (Pit8254.claims(port)) {
                return platform.pit().read(port);
            }
            return 0xFF;
        }
    }

    @Override
    public void writePort(int port, int size, int value) {
        for (int i = 0; i < size; i++) {
            writeByte(port + i, (value >>> (8 * i)) & 0xFF);
        }
    }

    private void writeByte(int port, int value) {
        synchronized (platform.deviceLock()) {
            if (CascadedPic.claims(port)) {
                platform.pic().write(port, value);
            } else if (Pit8254.claims(port)) {
                platform.pit().write(port, value);
                platform.pitChanged();
            }
        }
    }

    @Override
    public boolean claimsMmio(long gpa) {
        if (gpa >= IoApic.BASE && gpa < IoApic.BASE + IoApic.SIZE) {
            return true;
        }
        long base = apic.mmioBase();
        return base >= 0 && gpa >= base && gpa < base + 0x1000;
    }

    @Override
    public long readMmio(long gpa, int size) {
        long base = apic.mmioBase();
        if (base >= 0 && gpa >= base && gpa < base + 0x1000) {
            return apic.readMmio((int) (gpa - base), size);
        }
        if (gpa >= IoApic.BASE && gpa < IoApic.BASE + IoApic.SIZE) {
            synchronized (platform.deviceLock()) {
                return platform.ioApic().read((int) (gpa - IoApic.BASE), size);
            }
        }
        return -1L;
    }

    @Override
    public void writeMmio(long gpa, int size, long value) {
        long base = apic.mmioBase();
        if (base >= 0 && gpa >= base && gpa < base + 0x1000) {
            apic.writeMmio((int) (gpa - base), size, value);
            return;
        }
        if (gpa >= IoApic.BASE && gpa < IoApic.BASE + IoApic.SIZE) {
            synchronized (platform.deviceLock()) {
                platform.ioApic().write((int) (gpa - IoApic.BASE), size, value);
            }
        }
    }
}
