package dev.partita.hv.vp;

/** The multiprocessor run state of a virtual processor. */
public enum MpState {
    /** Executing instructions (or ready to). */
    RUNNABLE,
    /** Stopped in HLT until an interrupt arrives. */
    HALTED,
    /** An application processor that received INIT and waits for a startup IPI. */
    INIT_RECEIVED,
    /** A startup IPI arrived and the processor is about to start at its vector. */
    SIPI_RECEIVED
}
