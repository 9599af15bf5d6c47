package dev.partita.hv.state;

import java.util.List;
import java.util.Objects;

/**
 * What a state file says about the VM it was made from: the backend it ran on, its RAM size and
 * processor count, and the names of its sections in file order (which name its devices). A file
 * loads only into a VM whose configuration gives the same memory size, processor count and
 * section names ({@link #mismatch}).
 *
 * @param formatVersion the file format version
 * @param backend       the backend the VM ran on when saved ("emulator", "kvm")
 * @param memoryBytes   guest RAM size
 * @param cpus          number of virtual processors
 * @param sections      section names, file order
 */
public record StateFileHeader(int formatVersion, String backend, long memoryBytes, int cpus, List<String> sections) {
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The most sections a file may declare. */
    public static final int MAX_SECTIONS = 4096;

    public StateFileHeader {
        Objects.requireNonNull(backend, "backend");
        sections = List.copyOf(sections);
        sections.forEach(StateNames::check);
        if (sections.size() > MAX_SECTIONS) {
            throw new IllegalArgumentException(sections.size() + " sections, at most " + MAX_SECTIONS);
        }
        if (sections.stream().distinct().count() != sections.size()) {
            throw new IllegalArgumentException("duplicate section names in " + sections);
        }
    }

    /**
     * Why a VM with {@code expected}'s shape cannot load this file, or null when it can. Compares
     * memory size, processor count and the set of section names; the backend may differ only where
     * the caller's sections allow it (backend-specific sections carry the backend in their name).
     */
    public String mismatch(StateFileHeader expected) {
        if (memoryBytes != expected.memoryBytes) {
            return "the file is from a VM with " + mib(memoryBytes) + " of memory, this VM has " + mib(expected.memoryBytes);
        }
        if (cpus != expected.cpus) {
            return "the file is from a VM with " + cpus + " vCPUs, this VM has " + expected.cpus;
        }
        List<String> missing = expected.sections.stream().filter(s -> !sections.contains(s)).toList();
        List<String> extra = sections.stream().filter(s -> !expected.sections.contains(s)).toList();
        if (!missing.isEmpty() || !extra.isEmpty()) {
            return "the file is from a VM with other devices or backend (saved on " + backend + "; file lacks "
                    + missing + ", has extra " + extra + ")";
        }
        return null;
    }

    private static String mib(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
