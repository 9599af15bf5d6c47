package dev.partita.emulator.platform;

import dev.partita.emulator.backend.EmulatedPlatform;
import dev.partita.emulator.system.InternalDevices;
import dev.partita.emulator.system.LocalInterruptController;
import dev.partita.emulator.system.TscClock;
import dev.partita.hv.vp.VpState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The PC interrupt and timer hardware of one emulated partition (what KVM keeps in the kernel with
 * KVM_CREATE_IRQCHIP and KVM_CREATE_PIT2): the 8259 pair, the 8254 PIT, one I/O APIC and one local
 * APIC per vCPU, wired together.
 *
 * <h2>Interrupt routing (the ACPI MADT must describe the same)</h2>
 * <ul>
 *   <li>ISA IRQ {@code n} (0-15) drives 8259 input {@code n} and I/O APIC pin {@code n}, except
 *       <b>IRQ0 (the PIT), which drives I/O APIC pin 2</b> (MADT interrupt source override: bus 0,
 *       source 0, GSI 2, flags 0 = conforming edge/high); IRQ2 is the 8259 cascade and has no I/O
 *       APIC pin of its own. I/O APIC pin 0 is not connected.</li>
 *   <li>{@link #setGsiLevel}{@code (gsi)} takes ACPI GSI numbers = I/O APIC pins 0-23: GSI 2 is
 *       ISA IRQ0; GSI 1 and 3-15 are ISA IRQs 1 and 3-15 (they drive the 8259 as well); GSI 0 is
 *       accepted as ISA IRQ0 too (the number KVM's API uses for the PIT); GSI 16-23 reach the I/O
 *       APIC only (PCI INTx).</li>
 *   <li>The 8259's INT output goes to every local APIC whose LINT0 is an unmasked ExtINT entry
 *       (the boot processor's after reset), or to the boot processor directly when its APIC is
 *       hardware-disabled.</li>
 *   <li>MSIs: address 0xFEExx000 (bits 19:12 destination ID, bit 2 logical), data bits 7:0 vector,
 *       10:8 delivery mode, 15 trigger mode.</li>
 * </ul>
 * The I/O APIC has ID 0 (MADT I/O APIC entry: ID 0, address 0xFEC00000, GSI base 0); local APIC
 * IDs equal vCPU indices (the CPUID topology's APIC IDs).
 *
 * <p>Timers: the PIT and every local APIC timer compare deadlines with the shared
 * {@link PlatformClock} whenever a vCPU checks for interrupts or touches a device; halted vCPUs
 * bound their waits with {@link LocalInterruptController#nanosToNextEvent()}. No threads.
 *
 * <p>Threading: {@link #setGsiLevel}, {@link #signalMsi} and the devices' port/MMIO handlers may be
 * called from any thread; the partition-wide devices (PIC, PIT, I/O APIC) are guarded by one device
 * lock, which is taken before any local APIC's lock and never while holding one.
 *
 */
public final class PcPlatform implements EmulatedPlatform {

    /** Saved state of the partition-wide devices (each local APIC saves its own, see {@link #apic}). */
    public record State(CascadedPic.State pic, Pit8254.State pit, IoApic.State ioApic, List<LocalApic.State> apics) {
    }

    private final Object deviceLock = new Object();
    private final PlatformClock clock;
    private final List<LocalApic> apics;
    private final ApicBus bus;
    private final CascadedPic pic;
    private final Pit8254 pit;
    private final IoApic ioApic;
    private final PlatformDevices[] devices;
    /** Clock time of the PIT's next event (read without the lock to keep interrupt checks cheap). */
    private volatile long pitNextEvent = Long.MIN_VALUE;

    /**
     * @param cpus  number of vCPUs (vCPU 0 is the boot processor)
     * @param clock the partition's virtual clock
     * @param tsc   the partition's TSC (for IA32_TSC_DEADLINE); TSC-deadline mode is enabled until a
     *              vCPU's CPUID table says otherwise ({@link LocalApic#setTscDeadlineAdvertised})
     */
    public PcPlatform(int cpus, PlatformClock clock, TscClock tsc) {
        this(cpus, clock, tsc, true);
    }

    public PcPlatform(int cpus, PlatformClock clock, TscClock tsc, boolean tscDeadline) {
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("PcPlatform: " + cpus + " vCPUs outside 1..255 (xAPIC IDs)");
        }
        this.clock = clock;
        Host host = new Host();
        List<LocalApic> list = new ArrayList<>(cpus);
        for (int i = 0; i < cpus; i++) {
            list.add(new LocalApic(i, i == 0 ? VpState.APIC_BASE_BSP_RESET : VpState.APIC_BASE_AP_RESET, host, clock,
                    tsc, tscDeadline));
        }
        this.apics = Collections.unmodifiableList(list);
        this.bus = new ApicBus(apics);
        this.pic = new CascadedPic(this::picRaised);
        this.ioApic = new IoApic(bus);
        this.pit = new Pit8254(clock, level -> isaIrq(0, level));
        this.devices = new PlatformDevices[cpus];
        for (int i = 0; i < cpus; i++) {
            devices[i] = new PlatformDevices(this, apics.get(i));
        }
    }

    /** The local APIC of vCPU {@code index}. */
    public LocalApic apic(int index) {
        return apics.get(index);
    }

    @Override
    public LocalInterruptController controllerFor(int index) {
        return apics.get(index);
    }

    @Override
    public InternalDevices devicesFor(int index) {
        return devices[index];
    }

    @Override
    public void setGsiLevel(int gsi, boolean level) {
        if (gsi < 0 || gsi >= IoApic.PINS) {
            throw new IllegalArgumentException("setGsiLevel: GSI " + gsi + " outside 0.." + (IoApic.PINS - 1));
        }
        synchronized (deviceLock) {
            if (gsi == 0 || gsi == 2) {
                isaIrq(0, level);
            } else if (gsi < 16) {
                isaIrq(gsi, level);
            } else {
                ioApic.setPin(gsi, level);
            }
        }
    }

    /** ISA IRQ {@code irq} to the 8259 and the I/O APIC (IRQ0 on pin 2). Caller holds the device lock. */
    private void isaIrq(int irq, boolean level) {
        pic.setIrq(irq, level);
        ioApic.setPin(irq == 0 ? 2 : irq, level);
    }

    @Override
    public void signalMsi(long address, int data) {
        if ((address & 0xFFF0_0000L) != 0xFEE0_0000L) {
            return; // not an interrupt message: a DMA write elsewhere, ignored here
        }
        int dest = (int) (address >>> 12) & 0xFF;
        boolean logical = (address & 0x4) != 0;
        int mode = (data >>> 8) & 7;
        boolean level = (data & (1 << 15)) != 0;
        bus.deliver(new ApicDelivery.Message(mode, data & 0xFF, logical, dest, level));
    }

    // ------------------------------------------------------------------ device access (PlatformDevices)

    Object deviceLock() {
        return deviceLock;
    }

    CascadedPic pic() {
        return pic;
    }

    Pit8254 pit() {
        return pit;
    }

    IoApic ioApic() {
        return ioApic;
    }

    /** After a PIT access: refresh the cached next-event time. Caller holds the device lock. */
    void pitChanged() {
        long n = pit.nanosToNextEvent();
        pitNextEvent = n == Long.MAX_VALUE ? Long.MAX_VALUE : clock.nanoTime() + n;
    }

    private void picRaised() {
        for (LocalApic a : apics) {
            a.wakeIfPicAccepted();
        }
    }

    /** The {@link ApicHost} view given to the local APICs. */
    private final class Host implements ApicHost {
        @Override
        public boolean picOutput() {
            return pic.hasOutput();
        }

        @Override
        public int acknowledgePic() {
            synchronized (deviceLock) {
                return pic.acknowledge();
            }
        }

        @Override
        public void pollSharedTimers() {
            if (clock.nanoTime() < pitNextEvent) {
                return;
            }
            synchronized (deviceLock) {
                pit.poll();
                pitChanged();
            }
        }

        @Override
        public long nanosToSharedEvent() {
            long next = pitNextEvent;
            if (next == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            return Math.max(0, next - clock.nanoTime());
        }

        @Override
        public void broadcastEoi(int vector) {
            synchronized (deviceLock) {
                ioApic.endOfInterrupt(vector);
            }
        }

        @Override
        public void sendIpi(LocalApic source, ApicDelivery.Message message, int shorthand) {
            bus.send(source, message, shorthand);
        }
    }

    // ------------------------------------------------------------------ checkpoints

    /** Saves every device (call with the vCPUs stopped). */
    public State save() {
        synchronized (deviceLock) {
            List<LocalApic.State> a = new ArrayList<>();
            for (LocalApic apic : apics) {
                a.add(apic.save());
            }
            return new State(pic.save(), pit.save(), ioApic.save(), List.copyOf(a));
        }
    }

    /**
     * Restores every device (call with the vCPUs stopped). A state a device refuses leaves every
     * device as it was: the devices restored before it get their previous state back.
     *
     * @throws IllegalArgumentException if a device refuses its part of {@code s}
     */
    public void restore(State s) {
        if (s.apics().size() != apics.size()) {
            throw new IllegalArgumentException("platform restore: " + s.apics().size() + " local APICs saved, partition has "
                    + apics.size());
        }
        State before = save();
        try {
            apply(s);
        } catch (IllegalArgumentException e) {
            apply(before);
            throw e;
        }
    }

    private void apply(State s) {
        synchronized (deviceLock) {
            pic.restore(s.pic());
            pit.restore(s.pit());
            ioApic.restore(s.ioApic());
            pitChanged();
        }
        for (int i = 0; i < apics.size(); i++) {
            apics.get(i).restore(s.apics().get(i));
        }
    }
}
