package dev.partita.vmms.worker;

/**
 * Which VMBus devices a VM gets. With {@code enabled} false the VM has no Hyper-V interface, no VMBus
 * server and no VMBus device in its DSDT; the other flags then must be false too.
 *
 * @param enabled     attach the Hyper-V guest interface, the VMBus server and the DSDT VMBus device
 * @param echo        offer Partita's echo channel ({@link dev.partita.vmbus.vsp.EchoVsp}; the guest has no
 *                    driver for it, but hv_vmbus lists it under /sys/bus/vmbus/devices)
 * @param integration offer the heartbeat, shutdown and time-synchronization integration components
 *                    (device-vsps, driven in the guest by hv_utils)
 */
public record VmBusDevices(boolean enabled, boolean echo, boolean integration) {
    /** No VMBus at all. */
    public static final VmBusDevices NONE = new VmBusDevices(false, false, false);
    /** VMBus with the echo channel and the integration components. */
    public static final VmBusDevices STANDARD = new VmBusDevices(true, true, true);

    public VmBusDevices {
        if (!enabled && (echo || integration)) {
            throw new IllegalArgumentException("VMBus devices requested without VMBus");
        }
    }
}
