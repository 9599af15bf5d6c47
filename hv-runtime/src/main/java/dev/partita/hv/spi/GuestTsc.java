package dev.partita.hv.spi;

/**
 * The time-stamp counter a backend's guest reads with RDTSC, as the host can read it: its
 * constant frequency and its value now. The Hyper-V reference TSC page is computed from it, so a
 * backend offers it only where the guest's TSC is invariant and the host can read exactly what
 * the guest would read at the same moment.
 *
 * <p>Threads: both methods may be called from any thread, concurrently with running vCPUs.
 */
public interface GuestTsc {

    /** The TSC frequency in Hz (constant for the partition's lifetime). */
    long hz();

    /**
     * The TSC that the bootstrap processor would read now. Processors of one partition share
     * one TSC unless the guest writes IA32_TSC on one of them.
     */
    long read();
}
