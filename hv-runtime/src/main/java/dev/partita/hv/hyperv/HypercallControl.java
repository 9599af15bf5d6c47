package dev.partita.hv.hyperv;

/**
 * The hypercall input value (RCX) of the TLFS x64 convention, decoded.
 * Bits: 0-15 call code, 16 fast, 17-26 variable header size, 27-30 reserved, 31 nested,
 * 32-43 rep count, 44-47 reserved, 48-59 rep start index, 60-63 reserved.
 *
 * @param raw the value as the guest passed it
 */
record HypercallControl(long raw) {
    /** HvCallPostMessage. */
    static final int CALL_POST_MESSAGE = 0x005C;
    /** HvCallSignalEvent. */
    static final int CALL_SIGNAL_EVENT = 0x005D;
    /** HvCallFlushVirtualAddressSpace. */
    static final int CALL_FLUSH_SPACE = 0x0002;
    /** HvCallFlushVirtualAddressList (rep: one GVA range per element). */
    static final int CALL_FLUSH_LIST = 0x0003;
    /** HvCallSendSyntheticClusterIpi. */
    static final int CALL_SEND_IPI = 0x000B;
    /** HvCallFlushVirtualAddressSpaceEx (processor set in the variable header). */
    static final int CALL_FLUSH_SPACE_EX = 0x0013;
    /** HvCallFlushVirtualAddressListEx (processor set in the variable header; rep). */
    static final int CALL_FLUSH_LIST_EX = 0x0014;
    /** HvCallSendSyntheticClusterIpiEx (processor set in the variable header). */
    static final int CALL_SEND_IPI_EX = 0x0015;

    private static final long FAST = 1L << 16;
    private static final long VARIABLE_HEADER = 0x3FFL << 17;
    private static final long RESERVED = (0xFL << 27) | (0xFL << 44) | (0xFL << 60);
    private static final long NESTED = 1L << 31;
    private static final long REP_COUNT = 0xFFFL << 32;
    private static final long REP_START = 0xFFFL << 48;

    int callCode() {
        return (int) (raw & 0xFFFF);
    }

    boolean fast() {
        return (raw & FAST) != 0;
    }

    /**
     * Whether the value is well formed for a simple (non-rep) call without a variable header:
     * no reserved bit, no nested flag, zero rep count and start, no variable header.
     */
    boolean validSimpleCall() {
        return (raw & (RESERVED | NESTED | REP_COUNT | REP_START | VARIABLE_HEADER)) == 0;
    }

    /** Reserved bits or the nested flag set (never valid here). */
    boolean reservedOrNested() {
        return (raw & (RESERVED | NESTED)) != 0;
    }

    /** The variable header size in 8-byte units (bits 17-26). */
    int variableHeaderQwords() {
        return (int) ((raw & VARIABLE_HEADER) >>> 17);
    }

    /** The rep count (bits 32-43). */
    int repCount() {
        return (int) ((raw & REP_COUNT) >>> 32);
    }

    /** The rep start index (bits 48-59). */
    int repStart() {
        return (int) ((raw & REP_START) >>> 48);
    }

    /** The result value (RAX) carrying {@code status} with zero reps completed. */
    static long result(int status) {
        return status & 0xFFFFL;
    }

    /** The result value (RAX) carrying {@code status} and {@code reps} completed (bits 32-43). */
    static long result(int status, int reps) {
        return (status & 0xFFFFL) | ((long) (reps & 0xFFF) << 32);
    }
}
