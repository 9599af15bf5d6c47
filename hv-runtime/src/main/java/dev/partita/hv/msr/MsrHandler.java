package dev.partita.hv.msr;

/**
 * Answers guest RDMSR/WRMSR for the MSRs it {@link #claims claims} (the Hyper-V synthetic MSRs
 * plug in here). Called on the thread of the virtual processor that executed the instruction;
 * implementations synchronize shared state themselves.
 */
public interface MsrHandler {
    /** Whether this handler owns MSR {@code index}. Must be cheap and side-effect free. */
    boolean claims(int index);

    /**
     * The value of MSR {@code index} for virtual processor {@code vpIndex}.
     *
     * @throws MsrFault to make the guest's RDMSR raise #GP
     */
    long read(int vpIndex, int index) throws MsrFault;

    /**
     * Stores {@code value} in MSR {@code index} for virtual processor {@code vpIndex}.
     *
     * @throws MsrFault to make the guest's WRMSR raise #GP
     */
    void write(int vpIndex, int index, long value) throws MsrFault;
}
