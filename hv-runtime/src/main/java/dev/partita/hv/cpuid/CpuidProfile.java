package dev.partita.hv.cpuid;

import java.util.List;

/**
 * The starting point of a {@link CpuidModel}: a processor's full CPUID table before Partita masks
 * features and sets topology. Immutable.
 *
 * @param name    what the profile describes, for logs ("KVM_GET_SUPPORTED_CPUID", "baseline x86-64-v2")
 * @param origin  where the table came from
 * @param entries every leaf and subleaf; order does not matter, duplicates are rejected by the builder
 */
public record CpuidProfile(String name, Origin origin, List<CpuidEntry> entries) {

    /** Where a profile came from. */
    public enum Origin {
        /** What the host's KVM reports it can virtualize ({@code KVM_GET_SUPPORTED_CPUID}). */
        HOST_KVM_SUPPORTED,
        /** Partita's built-in description of the CPU the emulator implements ({@link BaselineCpuidProfile}). */
        BASELINE_EMULATED
    }

    public CpuidProfile {
        entries = List.copyOf(entries);
    }

    /** A profile from the entries {@code KVM_GET_SUPPORTED_CPUID} returned. */
    public static CpuidProfile fromKvmSupported(List<CpuidEntry> entries) {
        return new CpuidProfile("KVM_GET_SUPPORTED_CPUID", Origin.HOST_KVM_SUPPORTED, entries);
    }

    /** The built-in emulator baseline. */
    public static CpuidProfile baseline() {
        return BaselineCpuidProfile.PROFILE;
    }
}
