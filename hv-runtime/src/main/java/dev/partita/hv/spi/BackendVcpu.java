package dev.partita.hv.spi;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.vp.VpState;

import java.util.List;

/**
 * A backend's side of one virtual processor.
 *
 * <p>Threads: every method except {@link #kick()} is called only by the owning
 * {@code VirtualProcessor}'s thread (the "vCPU thread"), which is also the thread that created it.
 * {@link #kick()} is called from any thread.
 */
public interface BackendVcpu extends AutoCloseable {

    /** The 0-based processor index. */
    int index();

    /**
     * Runs guest code until something needs the runtime, and says what. Returns
     * {@link VcpuExit.Interrupted} promptly after {@link #kick()} (also when the kick came before
     * the call). Guest failures are returned as exits, not thrown.
     *
     * @throws BackendException only when the host itself fails (the partition then stops)
     */
    VcpuExit run();

    /**
     * Supplies the result of the last exit that asked for one: the value of an IN
     * ({@link VcpuExit.PortIo} with isWrite false), an MMIO read, an RDMSR, or a hypercall's
     * result. Writes and other exits need no call (a call is ignored).
     */
    void completeRead(long value);

    /** Makes the pending {@link VcpuExit.MsrRead}/{@link VcpuExit.MsrWrite} raise #GP(0) in the guest. */
    void failMsrAccess();

    /** Sets the CPUID table this processor presents. Before its first {@link #run()}. */
    void installCpuid(List<CpuidEntry> entries);

    /** The full processor state; valid between {@code run()} calls (pending exits completed first). */
    VpState getState();

    /** Replaces the processor state (fields that are null in {@code state} keep their value). */
    void setState(VpState state);

    /**
     * Makes the current or next {@link #run()} return {@link VcpuExit.Interrupted} soon.
     * Any thread; idempotent; never blocks.
     */
    void kick();

    /** Releases the vCPU (KVM: its fd and kvm_run mapping). vCPU thread only. */
    @Override
    void close();
}
