package dev.partita.hv.kvm.sys;

/**
 * One GSI routing entry for {@link KvmVm#setGsiRouting(java.util.List)} ({@code kvm_irq_routing_entry}).
 * A closed set: the in-kernel irqchip pin and MSI routes that Partita uses. Immutable.
 */
public sealed interface IrqRoute {

    /** The global system interrupt this entry routes. */
    int gsi();

    /**
     * GSI to a pin of an in-kernel irqchip ({@code KVM_IRQ_ROUTING_IRQCHIP}).
     *
     * @param irqchip {@code KVM_IRQCHIP_PIC_MASTER}, {@code _PIC_SLAVE} or {@code _IOAPIC}
     * @param pin     0-7 for a PIC, 0-23 for the I/O APIC
     */
    record Irqchip(int gsi, int irqchip, int pin) implements IrqRoute {}

    /**
     * GSI to a message-signalled interrupt ({@code KVM_IRQ_ROUTING_MSI}).
     *
     * @param address the MSI address (low and high halves)
     * @param data    the MSI data
     */
    record Msi(int gsi, long address, int data) implements IrqRoute {}
}
