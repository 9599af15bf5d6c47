package dev.partita.hv.host;

import dev.partita.hv.cpuid.CpuidResult;

/**
 * Something that answers CPUID queries: the host processor itself ({@link HostCpuid}) or a table in
 * tests. Implementations are thread-safe unless they say otherwise.
 */
@FunctionalInterface
public interface CpuidSource {

    /**
     * Runs CPUID with EAX={@code leaf} and ECX={@code subleaf}.
     *
     * @throws HostProbeException if the query cannot be executed at all
     */
    CpuidResult query(int leaf, int subleaf);

    /** {@link #query(int, int)} with sub-leaf 0. */
    default CpuidResult query(int leaf) {
        return query(leaf, 0);
    }
}
