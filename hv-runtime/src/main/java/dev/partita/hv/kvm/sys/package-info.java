/**
 * Owners of the KVM file descriptors, mirroring the kernel's objects: {@link dev.partita.hv.kvm.sys.Kvm}
 * ({@code /dev/kvm}) creates {@link dev.partita.hv.kvm.sys.KvmVm}, which creates
 * {@link dev.partita.hv.kvm.sys.KvmVcpu} (owning its mapped {@code kvm_run}). Each is
 * {@code AutoCloseable} and releases its descriptor exactly once; every call checks its result and
 * failures throw {@link dev.partita.hv.kvm.sys.KvmException} (operation + errno). Also here:
 * {@link dev.partita.hv.kvm.sys.ExecutableCode} for running host machine code through FFM.
 * No policy lives here: the KVM backend builds partitions on top of these.
 */
package dev.partita.hv.kvm.sys;
