package dev.partita.emulator.platform;

import dev.partita.emulator.system.InternalDevices;
import dev.partita.emulator.system.LocalInterruptController;
import dev.partita.emulator.system.TscClock;
import java.util.concurrent.atomic.AtomicInteger;

/** A platform on a manual clock with helpers that talk to it as a guest would (ports, MMIO, INTA). */
final class PlatformRig {

    static final long LAPIC = 0xFEE0_0000L;
    static final long IOAPIC = 0xFEC0_0000L;
    static final long TSC_HZ = 1_000_000_000L;

    final TscClock tsc = new TscClock(TSC_HZ);
    /** Starts well after the TSC's origin, so guest TSC values are positive. */
    final ManualClock clock = new ManualClock(System.nanoTime() + 1_000_000_000L);
    final PcPlatform platform;
    final AtomicInteger[] wakeups;

    PlatformRig(int cpus) {
        platform = new PcPlatform(cpus, clock, tsc);
        wakeups = new AtomicInteger[cpus];
        for (int i = 0; i < cpus; i++) {
            AtomicInteger n = new AtomicInteger();
            wakeups[i] = n;
            platform.controllerFor(i).setWakeup(n::incrementAndGet);
        }
    }

    InternalDevices dev(int cpu) {
        return platform.devicesFor(cpu);
    }

    LocalInterruptController cpu(int cpu) {
        return platform.controllerFor(cpu);
    }

    void out(int port, int value) {
        dev(0).writePort(port, 1, value);
    }

    int in(int port) {
        return dev(0).readPort(port, 1);
    }

    void lapicWrite(int cpu, int reg, int value) {
        dev(cpu).writeMmio(LAPIC + reg, 4, value & 0xFFFF_FFFFL);
    }

    int lapicRead(int cpu, int reg) {
        return (int) dev(cpu).readMmio(LAPIC + reg, 4);
    }

    void ioapicWrite(int index, int value) {
        dev(0).writeMmio(IOAPIC, 4, index);
        dev(0).writeMmio(IOAPIC + 0x10, 4, value & 0xFFFF_FFFFL);
    }

    int ioapicRead(int index) {
        dev(0).writeMmio(IOAPIC, 4, index);
        return (int) dev(0).readMmio(IOAPIC + 0x10, 4);
    }

    /** The interrupt check and INTA cycle of vCPU {@code cpu}: the vector, or -1 when nothing is ready. */
    int take(int cpu) {
        return cpu(cpu).hasInterrupt() ? cpu(cpu).acknowledgeInterrupt() : -1;
    }

    /** Initializes the 8259 pair like a PC BIOS (master 0x08, slave 0x70), all lines masked. */
    void initPic(int masterBase, int slaveBase, boolean autoEoi) {
        out(0x20, 0x11);
        out(0xA0, 0x11);
        out(0x21, masterBase);
        out(0xA1, slaveBase);
        out(0x21, 0x04);
        out(0xA1, 0x02);
        out(0x21, autoEoi ? 0x03 : 0x01);
        out(0xA1, 0x01);
        out(0x21, 0xFF);
        out(0xA1, 0xFF);
    }

    /** Software-enables a local APIC with spurious vector 0xFF. */
    void enableApic(int cpu) {
        lapicWrite(cpu, 0xF0, 0x1FF);
    }
}
