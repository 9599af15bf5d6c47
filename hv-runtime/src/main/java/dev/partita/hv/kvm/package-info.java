/**
 * The {@code kvm} backend: {@link dev.partita.hv.kvm.KvmBackend} (found by ServiceLoader), one
 * VM per partition with the in-kernel irqchip and PIT2 and the Hyper-V MSR range routed to user
 * space, and one {@code KvmVcpuBackend} per virtual processor that runs KVM_RUN over the mapped
 * {@code kvm_run} area and converts {@link dev.partita.hv.vp.VpState}. The descriptor owners live
 * in {@code dev.partita.hv.kvm.sys}.
 */
package dev.partita.hv.kvm;
