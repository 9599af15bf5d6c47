package dev.partita.hv.cpuid;

/**
 * One leaf (and, for indexed leaves, one subleaf) of a CPUID table, the shape of
 * {@code struct kvm_cpuid_entry2}. Immutable.
 *
 * @param leaf     the EAX input ({@code function})
 * @param subleaf  the ECX input ({@code index}); 0 when the leaf is not indexed
 * @param indexed  whether the subleaf selects different data ({@code KVM_CPUID_FLAG_SIGNIFCANT_INDEX})
 * @param value    the registers returned
 */
public record CpuidEntry(int leaf, int subleaf, boolean indexed, CpuidResult value) {

    /** {@code KVM_CPUID_FLAG_SIGNIFCANT_INDEX} (sic, the kernel's spelling). */
    public static final int KVM_FLAG_SIGNIFICANT_INDEX = 1;

    public CpuidEntry {
        if (value == null) {
            throw new IllegalArgumentException("CPUID entry " + Integer.toHexString(leaf) + " has no value");
        }
        if (!indexed && subleaf != 0) {
            throw new IllegalArgumentException("CPUID leaf " + Integer.toHexString(leaf) + " is not indexed but has subleaf " + subleaf);
        }
    }

    /** A leaf whose data does not depend on ECX. */
    public static CpuidEntry of(int leaf, int eax, int ebx, int ecx, int edx) {
        return new CpuidEntry(leaf, 0, false, new CpuidResult(eax, ebx, ecx, edx));
    }

    /** One subleaf of an indexed leaf. */
    public static CpuidEntry indexed(int leaf, int subleaf, int eax, int ebx, int ecx, int edx) {
        return new CpuidEntry(leaf, subleaf, true, new CpuidResult(eax, ebx, ecx, edx));
    }

    /** The flags word of {@code kvm_cpuid_entry2} for this entry. */
    public int kvmFlags() {
        return indexed ? KVM_FLAG_SIGNIFICANT_INDEX : 0;
    }

    /** A copy with another value. */
    public CpuidEntry withValue(CpuidResult newValue) {
        return new CpuidEntry(leaf, subleaf, indexed, newValue);
    }

    /** The sort and lookup key: leaf in the high 32 bits, subleaf in the low 32 bits (both unsigned). */
    long key() {
        return CpuidEntry.key(leaf, subleaf);
    }

    static long key(int leaf, int subleaf) {
        return (Integer.toUnsignedLong(leaf) << 32) | Integer.toUnsignedLong(subleaf);
    }

    @Override
    public String toString() {
        return String.format("%08x.%s %s", leaf, indexed ? Integer.toHexString(subleaf) : "*", value);
    }
}
