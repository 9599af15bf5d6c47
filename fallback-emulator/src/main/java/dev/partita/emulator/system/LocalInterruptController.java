package dev.partita.emulator.system;

/**
 * What one vCPU's run loop needs from the emulated interrupt controllers (local APIC, and the
 * 8259 PIC as ExtINT source). The platform package's {@code LocalApic} implements it per vCPU.
 *
 * <p>Threading: {@link #hasInterrupt()}, {@link #acknowledgeInterrupt()}, {@link #takeNmi()} and the
 * MSR/TPR methods are called on the vCPU thread; the implementation receives interrupts from other
 * threads and must publish them safely, then call the {@link Runnable} given to
 * {@link #setWakeup} (any thread) so a halted vCPU re-checks.
 */
public interface LocalInterruptController {

    /** Whether a maskable interrupt is ready to be delivered (priority above the TPR). Cheap. */
    boolean hasInterrupt();

    /**
     * The INTA cycle: returns the vector of the highest-priority ready interrupt and marks it in
     * service, or -1 when none is ready any more (spurious: nothing is delivered).
     */
    int acknowledgeInterrupt();

    /** Returns true, once, when an NMI is pending (it is then considered delivered). */
    boolean takeNmi();

    /** Sets the callback to run (from any thread) whenever an interrupt or NMI becomes pending. */
    void setWakeup(Runnable wakeup);

    /** Nanoseconds until the next timer event that may raise an interrupt, or {@link Long#MAX_VALUE}. Used to bound HLT waits. */
    default long nanosToNextEvent() {
        return Long.MAX_VALUE;
    }

    /**
     * The CPUID table of this vCPU was installed: whether it advertises the TSC-deadline timer
     * (CPUID.1:ECX[24]), which decides whether IA32_TSC_DEADLINE and the timer's TSC-deadline mode exist.
     */
    default void setTscDeadlineAdvertised(boolean advertised) {
    }

    /** Whether this controller implements MSR {@code index} (x2APIC range, TSC_DEADLINE). */
    default boolean claimsMsr(int index) {
        return false;
    }

    /** RDMSR of a claimed MSR; throw {@code CpuException.gp(0)} to refuse. */
    default long readMsr(int index) {
        return 0;
    }

    /** WRMSR of a claimed MSR; throw {@code CpuException.gp(0)} to refuse. */
    default void writeMsr(int index, long value) {
    }

    /** CR8 was written: the task-priority class (0-15). */
    default void setTaskPriority(int priorityClass) {
    }

    /** IA32_APIC_BASE was written (the value is already stored in the CPU state). */
    default void apicBaseWritten(long value) {
    }

    /** The task-priority class a CR8 read returns, or -1 when the controller keeps none (CR8 is then plain storage). */
    default int taskPriorityClass() {
        return -1;
    }

    /** Returns true, once, after an INIT IPI: the vCPU resets itself to the INIT state. */
    default boolean takeInit() {
        return false;
    }

    /** While waiting for a startup IPI: its vector, once, or -1 while none has arrived. */
    default int takeStartupVector() {
        return -1;
    }

    /** Puts the processor in the wait-for-SIPI state (application processors at creation). */
    default void waitForStartup() {
    }

    /** The run state the controller implies (INIT received / SIPI received / runnable). */
    default dev.partita.hv.vp.MpState mpState() {
        return dev.partita.hv.vp.MpState.RUNNABLE;
    }

    /** The register page for {@code VpState}, or null when the controller has none. */
    default dev.partita.hv.vp.LapicState toLapicState() {
        return null;
    }

    /** Restores the register page from {@code VpState}. */
    default void loadLapicState(dev.partita.hv.vp.LapicState page) {
    }
}
