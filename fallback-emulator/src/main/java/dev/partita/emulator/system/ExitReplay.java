package dev.partita.emulator.system;

import dev.partita.hv.exit.VcpuExit;

/**
 * Turns accesses that the runtime must answer into {@link VcpuExit}s while keeping instructions
 * restartable. An instruction that makes such an access the first time records it and throws
 * {@link ExitSignal}; the backend returns the exit, the runtime answers
 * ({@code completeRead}/{@code failMsrAccess}), and the instruction is executed again from the
 * start: this time the recorded accesses are answered from the log in order, so the instruction
 * completes (or reaches its next unanswered access). The log is cleared when the instruction
 * finishes, and after each element of a REP string instruction ({@link #elementDone()}), whose
 * earlier elements are already committed.
 *
 * <p>Owned by the vCPU thread.
 */
public final class ExitReplay {

    /** Access kinds. */
    public static final int PIO_IN = 0;
    public static final int PIO_OUT = 1;
    public static final int MMIO_READ = 2;
    public static final int MMIO_WRITE = 3;
    public static final int MSR_READ = 4;
    public static final int MSR_WRITE = 5;
    public static final int HYPERCALL = 6;

    private static final int CAPACITY = 16;

    private final int[] kinds = new int[CAPACITY];
    private final long[] addresses = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    private final long[] values = new long[CAPACITY];
    private int count;
    private int cursor;
    private VcpuExit pending;
    private boolean pendingFailed;

    /** An empty log. */
    public ExitReplay() {
    }

    /**
     * One access. Returns the answer recorded for it (reads) or 0 (writes) when it is being
     * replayed; otherwise records it as pending and throws {@link ExitSignal}.
     */
    public long access(int kind, long address, int size, long value, VcpuExit exit) {
        if (cursor < count) {
            if (kinds[cursor] == kind && addresses[cursor] == address && sizes[cursor] == size
                    && (isRead(kind) || values[cursor] == value)) {
                return values[cursor++];
            }
            // The instruction took another path than last time: forget the rest of the log.
            count = cursor;
        }
        if (count == CAPACITY) {
            count = 0;
            cursor = 0;
        }
        kinds[count] = kind;
        addresses[count] = address;
        sizes[count] = size;
        values[count] = isRead(kind) ? 0 : value;
        pending = exit;
        pendingFailed = false;
        throw ExitSignal.INSTANCE;
    }

    private static boolean isRead(int kind) {
        return kind == PIO_IN || kind == MMIO_READ || kind == MSR_READ || kind == HYPERCALL;
    }

    /** The exit waiting for an answer, or null. */
    public VcpuExit pending() {
        return pending;
    }

    /** Answers the pending read-like access. Ignored when nothing is pending or it was a write. */
    public void complete(long value) {
        if (pending != null && isRead(kinds[count])) {
            values[count] = value;
        }
    }

    /** Marks the pending MSR access as refused (#GP(0) when resumed). */
    public void fail() {
        if (pending != null) {
            pendingFailed = true;
        }
    }

    /**
     * Called by the backend before resuming: accepts the pending access into the log.
     *
     * @return true when the pending access was refused (deliver #GP instead of re-executing)
     */
    public boolean resume() {
        boolean failed = pendingFailed;
        if (pending != null) {
            count++;
            pending = null;
            pendingFailed = false;
        }
        cursor = 0;
        if (failed) {
            clear();
        }
        return failed;
    }

    /** The instruction completed or faulted: forget its log. */
    public void clear() {
        count = 0;
        cursor = 0;
    }

    /** One element of a REP string instruction is committed: its accesses will not be replayed. */
    public void elementDone() {
        count = 0;
        cursor = 0;
    }
}
