package dev.partita.hv.exit;

/**
 * Why a backend's {@code run()} returned control to the virtual processor's run loop. A closed
 * set: the run loop handles it with an exhaustive {@code switch}.
 *
 * <p>Exits that ask for a value (an IN, an MMIO read, RDMSR, a hypercall) are completed by the
 * run loop through the vCPU backend ({@code completeRead}, {@code failMsrAccess}) before the
 * next {@code run()}. Exits are created and consumed on the virtual processor's own thread.
 */
public sealed interface VcpuExit {

    /**
     * A port I/O instruction. String and REP forms arrive as one exit per element.
     *
     * @param port    port number 0-0xFFFF
     * @param size    1, 2 or 4 bytes
     * @param isWrite OUT (true) or IN (false)
     * @param value   for OUT the value written (low {@code size} bytes); 0 for IN
     */
    record PortIo(int port, int size, boolean isWrite, int value) implements VcpuExit {
    }

    /**
     * An access to guest-physical memory that is not RAM.
     *
     * @param gpa     guest-physical address
     * @param size    1, 2, 4 or 8 bytes
     * @param isWrite write (true) or read (false)
     * @param value   for a write the value (low {@code size} bytes); 0 for a read
     */
    record Mmio(long gpa, int size, boolean isWrite, long value) implements VcpuExit {
    }

    /** HLT that the backend does not handle itself (interrupts off, or no in-kernel interrupt controller). */
    record Halt() implements VcpuExit {
        public static final Halt INSTANCE = new Halt();
    }

    /**
     * The processor shut down (triple fault).
     *
     * @param detail backend-specific detail (exit reason), may be empty
     */
    record Shutdown(String detail) implements VcpuExit {
    }

    /** RDMSR of an MSR the backend hands to user space; complete with the value or fail with #GP. */
    record MsrRead(int index) implements VcpuExit {
    }

    /** WRMSR of an MSR the backend hands to user space; complete or fail with #GP. */
    record MsrWrite(int index, long value) implements VcpuExit {
    }

    /**
     * A Hyper-V hypercall (TLFS 64-bit calling convention); complete with the result value (RAX).
     *
     * @param control  hypercall input value (RCX)
     * @param input    input parameter GPA or fast-call value (RDX)
     * @param output   output parameter GPA or fast-call value (R8)
     */
    record Hypercall(long control, long input, long output) implements VcpuExit {
    }

    /**
     * The backend could not enter the guest (KVM: {@code KVM_EXIT_FAIL_ENTRY}).
     *
     * @param reason      hardware or backend reason code
     * @param description readable explanation including registers where known
     */
    record EntryFailure(long reason, String description) implements VcpuExit {
    }

    /**
     * The backend failed internally (KVM: {@code KVM_EXIT_INTERNAL_ERROR} or an unknown exit; the
     * emulator: an unimplemented instruction).
     *
     * @param suberror    backend-specific code
     * @param description readable explanation including registers where known
     */
    record InternalError(int suberror, String description) implements VcpuExit {
    }

    /** run() returned because the processor was kicked (pause, stop, a message). */
    record Interrupted() implements VcpuExit {
        public static final Interrupted INSTANCE = new Interrupted();
    }

    /**
     * A platform event requested by the guest or the backend.
     *
     * @param type what happened
     */
    record SystemEvent(SystemEventType type) implements VcpuExit {
    }

    /** The kinds of {@link SystemEvent}. */
    enum SystemEventType {
        /** The guest asked to power off. */
        SHUTDOWN,
        /** The guest asked to reset. */
        RESET,
        /** The guest reported a crash. */
        CRASH
    }
}
