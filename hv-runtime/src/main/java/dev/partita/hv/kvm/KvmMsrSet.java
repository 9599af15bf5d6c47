package dev.partita.hv.kvm;

import dev.partita.hv.kvm.sys.Kvm;
import dev.partita.hv.vp.Msrs;

import java.util.Arrays;

/**
 * The MSRs a KVM vCPU's {@link dev.partita.hv.vp.VpState#msrs()} carries: Partita's list of
 * architectural MSRs that matter for a checkpoint, restricted to those this host's KVM saves
 * ({@code KVM_GET_MSR_INDEX_LIST}). EFER, APIC base and FS/GS base travel in sregs, not here.
 * Immutable.
 */
final class KvmMsrSet {
    /** Candidates, in the order they are read and written (TSC first so deadline follows it). */
    private static final int[] CANDIDATES = {
            Msrs.TSC, Msrs.SYSENTER_CS, Msrs.SYSENTER_ESP, Msrs.SYSENTER_EIP, Msrs.PAT, Msrs.MISC_ENABLE,
            Msrs.STAR, Msrs.LSTAR, Msrs.CSTAR, Msrs.FMASK, Msrs.KERNEL_GS_BASE, Msrs.TSC_AUX, Msrs.TSC_DEADLINE};

    private final int[] indices;

    KvmMsrSet(int[] indices) {
        this.indices = indices.clone();
    }

    static KvmMsrSet supportedBy(Kvm kvm) {
        int[] supported = kvm.msrIndexList();
        return new KvmMsrSet(Arrays.stream(CANDIDATES).filter(i -> Arrays.stream(supported).anyMatch(s -> s == i)).toArray());
    }

    int size() {
        return indices.length;
    }

    int index(int i) {
        return indices[i];
    }

    boolean contains(int msr) {
        for (int i : indices) {
            if (i == msr) {
                return true;
            }
        }
        return false;
    }
}
