package dev.partita.guests;

import dev.partita.hv.Partition;
import dev.partita.hv.hyperv.HyperV;
import dev.partita.vmbus.HyperVSynicPort;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.testing.EchoVsp;
import dev.partita.vmbus.vsp.Vsp;

import java.util.UUID;

/**
 * Test glue: makes a created, not yet started partition a Hyper-V partition ({@link HyperV#attach})
 * with a VMBus server ({@link VmBus#attach} over {@link HyperVSynicPort}) that offers one
 * {@link EchoVsp} channel (or another VSP offered under the echo class GUID). This is the "attach VMBus to a Partition" step that main code does not
 * offer yet as one call; it belongs next to {@code partita run --vmbus}'s wiring once that exists.
 *
 * <p>Created on the test thread before {@link Partition#start()}; {@link #close()} after the
 * partition ended (it stops the bus's control thread and any channel threads still running).
 */
final class EchoBusAttachment implements AutoCloseable {
    /** Ring bytes each way the echo channel offers (advisory: the guest chooses its own). */
    static final int OFFERED_RING_BYTES = 28 * 4096; // vmbus-echo opens 28 pages to the host, 4 back

    private final HyperV hyperV;
    private final VmBus bus;
    private final Vsp vsp;
    private final int relid;

    private EchoBusAttachment(HyperV hyperV, VmBus bus, Vsp vsp, int relid) {
        this.hyperV = hyperV;
        this.bus = bus;
        this.vsp = vsp;
        this.relid = relid;
    }

    /** Offers a fresh {@link EchoVsp}. */
    static EchoBusAttachment attach(Partition p) {
        return attach(p, new EchoVsp(UUID.nameUUIDFromBytes(("echo-" + p.name()).getBytes()), OFFERED_RING_BYTES));
    }

    /** Offers {@code vsp} as the only channel. */
    static EchoBusAttachment attach(Partition p, Vsp vsp) {
        HyperV hv = HyperV.attach(p);
        VmBus bus = VmBus.attach(p.memory(), new HyperVSynicPort(hv), VmBusTuning.defaults());
        int relid = bus.offer(vsp);
        return new EchoBusAttachment(hv, bus, vsp, relid);
    }

    HyperV hyperV() {
        return hyperV;
    }

    VmBus bus() {
        return bus;
    }

    /** The offered VSP. */
    Vsp vsp() {
        return vsp;
    }

    int relid() {
        return relid;
    }

    @Override
    public void close() {
        bus.close();
    }
}
