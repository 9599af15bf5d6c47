package dev.partita.hv.host;

/**
 * What {@link BackendAdvisor} decided.
 *
 * @param backend      what {@code auto} picks for guests that run an operating system (kernel code at CPL0)
 * @param kvmUsable    /dev/kvm runs guests at all (at least CPL3 code at native speed); decides the probe's
 *                     exit status
 * @param cpl0Native   KVM runs CPL0 guest code natively (hardware VMX/SVM, or measured so)
 * @param reason       one sentence starting with the backend name, e.g. "kvm: hardware VMX"
 */
public record BackendAdvice(BackendKind backend, boolean kvmUsable, boolean cpl0Native, String reason) {
}
