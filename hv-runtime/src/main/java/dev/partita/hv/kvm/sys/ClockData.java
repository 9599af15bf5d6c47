package dev.partita.hv.kvm.sys;

/**
 * {@code kvm_clock_data} as returned by KVM_GET_CLOCK. Immutable.
 *
 * @param clock    the guest's kvmclock value in nanoseconds
 * @param flags    {@code KVM_CLOCK_TSC_STABLE}, {@code KVM_CLOCK_REALTIME}, {@code KVM_CLOCK_HOST_TSC}
 * @param realtime host CLOCK_REALTIME in ns at the sample (valid with KVM_CLOCK_REALTIME)
 * @param hostTsc  host TSC at the sample (valid with KVM_CLOCK_HOST_TSC)
 */
public record ClockData(long clock, int flags, long realtime, long hostTsc) {}
