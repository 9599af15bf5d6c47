package dev.partita.hv.host;

/**
 * One {@code KVM_CHECK_EXTENSION} answer.
 *
 * @param name   the capability without its {@code KVM_CAP_} prefix, e.g. "IRQCHIP"
 * @param number the capability number from linux/kvm.h
 * @param group  the {@link KvmCapabilityGroup} it is listed under
 * @param value  the ioctl's result: 0 absent, positive present (some capabilities return a count or a
 *               bit mask), negative when the kernel rejected the query (reported as absent)
 */
public record KvmCapabilityFact(String name, int number, KvmCapabilityGroup group, int value) {

    /** The capability is offered. */
    public boolean present() {
        return value > 0;
    }
}
