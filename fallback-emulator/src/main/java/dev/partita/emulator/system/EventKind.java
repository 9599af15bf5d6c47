package dev.partita.emulator.system;

/** How an event entered the processor; decides the gate-DPL check, the EXT bit and error codes. */
public enum EventKind {
    /** A fault or trap raised by an instruction (vector below 32); pushes an error code when the vector has one. */
    EXCEPTION,
    /** INT n: gate DPL checked against CPL; never an error code; EXT clear. */
    SOFTWARE_INTERRUPT,
    /** INT3 and INTO: like INT n but vector 3/4. */
    SOFTWARE_EXCEPTION,
    /** INT1 (ICEBP): no DPL check, EXT set. */
    PRIVILEGED_SOFTWARE_EXCEPTION,
    /** A maskable interrupt from the interrupt controller. */
    EXTERNAL_INTERRUPT,
    /** Non-maskable interrupt (vector 2). */
    NMI;

    /** Whether the gate DPL must be at least CPL. */
    boolean checksGateDpl() {
        return this == SOFTWARE_INTERRUPT || this == SOFTWARE_EXCEPTION;
    }

    /** The EXT bit of error codes for faults raised while delivering this event. */
    int ext() {
        return this == SOFTWARE_INTERRUPT || this == SOFTWARE_EXCEPTION ? 0 : 1;
    }
}
