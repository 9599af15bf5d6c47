package dev.partita.hv.kvm.sys;

import java.util.Arrays;

/**
 * One range of {@code kvm_msr_filter}: MSRs {@code base .. base+nmsrs-1}, with one bitmap bit per MSR
 * (bit set = the operations in {@code flags} are allowed in the kernel; clear = they exit to user
 * space or fault, depending on KVM_CAP_X86_USER_SPACE_MSR). Immutable (the bitmap is copied).
 *
 * @param flags  {@code KVM_MSR_FILTER_READ} and/or {@code KVM_MSR_FILTER_WRITE}
 * @param base   first MSR index of the range
 * @param nmsrs  number of MSRs covered; the bitmap holds at least {@code ceil(nmsrs / 8)} bytes
 * @param bitmap the bitmap, bit {@code i} of byte {@code i / 8} for MSR {@code base + i}
 */
public record MsrFilterRange(int flags, int base, int nmsrs, byte[] bitmap) {

    public MsrFilterRange {
        if (nmsrs <= 0 || (long) nmsrs > 8L * 0x600) {
            throw new IllegalArgumentException("nmsrs " + nmsrs + " outside 1.." + 8 * 0x600);
        }
        if (bitmap.length < (nmsrs + 7) / 8) {
            throw new IllegalArgumentException("bitmap of " + bitmap.length + " bytes is too short for " + nmsrs + " MSRs");
        }
        bitmap = bitmap.clone();
    }

    /** A range where every MSR is denied for the given operations (all bitmap bits clear). */
    public static MsrFilterRange denyAll(int flags, int base, int nmsrs) {
        return new MsrFilterRange(flags, base, nmsrs, new byte[(nmsrs + 7) / 8]);
    }

    @Override
    public byte[] bitmap() {
        return bitmap.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MsrFilterRange r && r.flags == flags && r.base == base && r.nmsrs == nmsrs
                && Arrays.equals(r.bitmap, bitmap);
    }

    @Override
    public int hashCode() {
        return ((flags * 31 + base) * 31 + nmsrs) * 31 + Arrays.hashCode(bitmap);
    }

    @Override
    public String toString() {
        return "MsrFilterRange[flags=" + flags + ", base=0x" + Integer.toHexString(base) + ", nmsrs=" + nmsrs + "]";
    }
}
