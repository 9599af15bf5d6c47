package dev.partita.hv.cpuid;

import java.util.List;
import java.util.Objects;

/**
 * What every virtual processor of a partition sees through CPUID, chosen by Partita: a profile
 * (the host's KVM-supported set, or the emulator baseline) with unvirtualized features masked
 * ({@link CpuidFeatureMask}), per-vCPU topology ({@link CpuidTopology}), the hypervisor bit, and
 * hypervisor leaf ranges supplied through {@link CpuidLeafRange}.
 *
 * <p>Immutable; every method may be called from any thread without synchronization. {@link #lookup}
 * allocates nothing (it returns shared {@link CpuidResult} instances) and is meant to be called on
 * each emulated CPUID instruction.
 *
 * <p>Leaves outside every implemented range behave as on Intel processors: they return the data of
 * the highest basic leaf. Unimplemented leaves inside a range, and unimplemented subleaves of
 * indexed leaves, return zeros, except leaves 0xB/0x1F, whose invalid subleaves echo the subleaf in
 * ECX[7:0] and the x2APIC id in EDX.
 */
public final class CpuidModel {

    private final CpuidProfile profile;
    private final CpuidTable[] tables;

    CpuidModel(CpuidProfile profile, CpuidTable[] tables) {
        this.profile = profile;
        this.tables = tables;
    }

    /** Starts a model from a profile. */
    public static CpuidModelBuilder builder(CpuidProfile profile) {
        return new CpuidModelBuilder(profile);
    }

    /** The profile this model started from (its name and origin are worth logging). */
    public CpuidProfile profile() {
        return profile;
    }

    /** How many virtual processors the model describes. */
    public int vcpuCount() {
        return tables.length;
    }

    /**
     * The result of CPUID with EAX = {@code leaf} and ECX = {@code subleaf} on one virtual processor.
     *
     * @throws IndexOutOfBoundsException if {@code vcpuIndex} is not a virtual processor of the model
     */
    public CpuidResult lookup(int vcpuIndex, int leaf, int subleaf) {
        Objects.checkIndex(vcpuIndex, tables.length);
        return tables[vcpuIndex].lookup(leaf, subleaf);
    }

    /**
     * Every entry of one virtual processor, sorted by leaf then subleaf, in the shape
     * {@code KVM_SET_CPUID2} takes.
     */
    public List<CpuidEntry> entries(int vcpuIndex) {
        Objects.checkIndex(vcpuIndex, tables.length);
        return tables[vcpuIndex].entries();
    }

    /** The highest basic leaf (leaf 0 EAX). */
    public int maxBasicLeaf() {
        return tables[0].maxBasicLeaf();
    }

    /** Whether guests see the feature (as reported to virtual processor 0; features do not vary by vCPU). */
    public boolean has(CpuFeature feature) {
        return feature.isSetIn(tables[0].lookup(feature.leaf(), feature.subleaf()));
    }

    /** The 12-character vendor string of leaf 0 ("GenuineIntel", "AuthenticAMD"). */
    public String vendor() {
        CpuidResult r = lookup(0, 0, 0);
        return ascii(r.ebx(), r.edx(), r.ecx());
    }

    static String ascii(int... words) {
        StringBuilder sb = new StringBuilder(words.length * 4);
        for (int w : words) {
            for (int i = 0; i < 4; i++) {
                sb.append((char) ((w >>> (8 * i)) & 0xFF));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "CpuidModel[" + profile.name() + ", " + vendor() + ", " + tables.length + " vCPU(s)]";
    }
}
