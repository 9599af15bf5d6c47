package dev.partita.emulator.system;

/**
 * Aborts the current instruction because it needs the runtime (port I/O, MMIO, an MSR the
 * emulator does not own, a hypercall). Preallocated and stackless; thrown only on the vCPU thread
 * and caught by the backend's run loop, which returns the pending exit from {@link ExitReplay}.
 *
 * <p>Instruction code must let it propagate (catch only {@code CpuException}) and must not have
 * committed the instruction (RIP, registers) before the access that threw it — the same rule as
 * for faults — because the instruction is executed again once the runtime has answered.
 */
public final class ExitSignal extends RuntimeException {

    /** The single instance. */
    public static final ExitSignal INSTANCE = new ExitSignal();

    private ExitSignal() {
        super("vCPU exit to the runtime", null, false, false);
    }
}
