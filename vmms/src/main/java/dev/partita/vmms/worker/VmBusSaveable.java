package dev.partita.vmms.worker;

import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.StateFileException;
import dev.partita.vmbus.VmBus;

/**
 * The {@code vmbus} section of a VM: its VMBus server with every channel and VSP. Pausing
 * quiesces the bus ({@link VmBus#quiesce()}), resuming restarts the VSPs' own senders. Threads as
 * {@link Saveable}; the bus's work runs on its control thread.
 */
final class VmBusSaveable implements Saveable {
    private final VmBus bus;

    VmBusSaveable(VmBus bus) {
        this.bus = bus;
    }

    @Override
    public String stateName() {
        return "vmbus";
    }

    @Override
    public int stateVersion() {
        return VmBus.STATE_VERSION;
    }

    @Override
    public byte[] saveState() {
        return bus.saveState();
    }

    @Override
    public void restoreState(byte[] state, int version) throws StateFileException {
        if (version != VmBus.STATE_VERSION) {
            throw new StateFileException("section 'vmbus' has layout version " + version + ", this build reads "
                    + VmBus.STATE_VERSION);
        }
        try {
            bus.restoreState(state);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new StateFileException("section 'vmbus' cannot be restored: " + e.getMessage(), e);
        }
    }

    @Override
    public void quiesce() {
        bus.quiesce();
    }

    @Override
    public void resume() {
        bus.resume();
    }
}
