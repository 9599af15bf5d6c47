package dev.partita.vmms.worker;

import dev.partita.vmbus.vsp.Vsp;

import java.util.ArrayList;
import java.util.List;

/**
 * Which VMBus devices a VM gets. With {@code enabled} false the VM has no Hyper-V interface, no VMBus
 * server and no VMBus device in its DSDT; the other fields then must be false or empty.
 *
 * @param enabled     attach the Hyper-V guest interface, the VMBus server and the DSDT VMBus device
 * @param integration offer the heartbeat, shutdown and time-synchronization integration components
 *                    (device-vsps, driven in the guest by hv_utils)
 * @param additional  further VSPs offered after the standard ones, in order (tests add their own devices,
 *                    such as the echo VSP); each instance serves one VM and is closed with it
 */
public record VmBusDevices(boolean enabled, boolean integration, List<Vsp> additional) {
    /** No VMBus at all. */
    public static final VmBusDevices NONE = new VmBusDevices(false, false, List.of());
    /** VMBus with the integration components. */
    public static final VmBusDevices STANDARD = new VmBusDevices(true, true, List.of());

    public VmBusDevices {
        additional = List.copyOf(additional);
        if (!enabled && (integration || !additional.isEmpty())) {
            throw new IllegalArgumentException("VMBus devices requested without VMBus");
        }
    }

    /** These devices and {@code more} after them. */
    public VmBusDevices with(Vsp... more) {
        List<Vsp> all = new ArrayList<>(additional);
        all.addAll(List.of(more));
        return new VmBusDevices(enabled, integration, all);
    }
}
