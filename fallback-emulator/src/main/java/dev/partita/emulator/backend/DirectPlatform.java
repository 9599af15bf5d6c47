package dev.partita.emulator.backend;

import dev.partita.emulator.system.DirectInterruptQueue;
import dev.partita.emulator.system.InternalDevices;
import dev.partita.emulator.system.LocalInterruptController;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * STAND-IN until the platform devices exist: every vCPU gets a {@link DirectInterruptQueue};
 * an MSI delivers its vector (fixed delivery mode, physical destination = APIC ID = vCPU index)
 * to that queue; GSIs have no controller behind them and are dropped (logged once). No PIC, PIT,
 * I/O APIC or local APIC registers exist, so guests that program them see unassigned space.
 */
public final class DirectPlatform implements EmulatedPlatform {

    private static final Logger LOG = Logger.getLogger(DirectPlatform.class.getName());

    private final DirectInterruptQueue[] queues;
    private final AtomicBoolean gsiLogged = new AtomicBoolean();

    public DirectPlatform(int cpus) {
        queues = new DirectInterruptQueue[cpus];
        for (int i = 0; i < cpus; i++) {
            queues[i] = new DirectInterruptQueue();
        }
    }

    /** The queue of vCPU {@code index}, to inject vectors directly (tests). */
    public DirectInterruptQueue queue(int index) {
        return queues[index];
    }

    @Override
    public LocalInterruptController controllerFor(int index) {
        return queues[index];
    }

    @Override
    public InternalDevices devicesFor(int index) {
        return InternalDevices.NONE;
    }

    @Override
    public void setGsiLevel(int gsi, boolean level) {
        if (gsiLogged.compareAndSet(false, true)) {
            LOG.warning("emulator: no interrupt controller yet; GSI " + gsi + " (and later GSIs) dropped");
        }
    }

    @Override
    public void signalMsi(long address, int data) {
        int dest = (int) (address >>> 12) & 0xFF;
        int vector = data & 0xFF;
        int mode = (data >>> 8) & 7;
        if ((address & 0xFFF0_0000L) != 0xFEE0_0000L || dest >= queues.length) {
            return;
        }
        if (mode == 4) {
            queues[dest].injectNmi();
        } else if (mode == 0 && vector >= 16) {
            queues[dest].inject(vector);
        }
    }
}
