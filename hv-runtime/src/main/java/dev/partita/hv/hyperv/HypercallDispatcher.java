package dev.partita.hv.hyperv;

import dev.partita.hv.HypercallHandler;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.memory.GuestMemory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers the guest's hypercalls (the partition's {@link HypercallHandler}): HvPostMessage
 * (0x5C, input block in guest memory) and HvSignalEvent (0x5D, fast or with an 8-byte input
 * block), routed by connection id to the registered {@link SynicConnectionHandler}s; and, where
 * offered, the TLB flush ({@link TlbFlushHypercalls}) and IPI ({@link IpiHypercalls}) calls. Every other
 * call code answers {@link HvStatus#INVALID_HYPERCALL_CODE}; a malformed control value
 * {@link HvStatus#INVALID_HYPERCALL_INPUT}; bad input the status the TLFS names. Nothing a guest
 * passes makes this throw: a handler's exception is logged and answered with
 * {@link HvStatus#INVALID_PARAMETER}.
 *
 * <p><b>Threads.</b> Runs on the calling processor's thread, concurrently on several; the
 * connection map is concurrent (a registration is visible to the next call).
 */
final class HypercallDispatcher implements HypercallHandler {
    private static final System.Logger LOG = System.getLogger(HypercallDispatcher.class.getName());
    private static final int MAX_LOGGED = 32;

    /** HvSignalEvent input: connection id bits 0-23 (bits 24-31 reserved). */
    private static final long CONNECTION_ID_RESERVED = 0xFF00_0000L;
    /** HvSignalEvent input: bits 48-63 reserved. */
    private static final long SIGNAL_RESERVED = 0xFFFFL << 48;

    private final GuestMemory memory;
    private final Map<Integer, SynicConnectionHandler> connections;
    private final AtomicInteger logged = new AtomicInteger();
    private final java.util.concurrent.atomic.LongAdder flushCalls = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder ipiCalls = new java.util.concurrent.atomic.LongAdder();
    /** The TLB flush hypercalls, or null when not offered. */
    private final TlbFlushHypercalls flushes;
    /** The IPI hypercalls, or null when not offered. */
    private final IpiHypercalls ipis;

    HypercallDispatcher(GuestMemory memory, Map<Integer, SynicConnectionHandler> connections) {
        this(memory, connections, null, null);
    }

    /** With the TLB flush and IPI hypercalls where not null (otherwise their codes answer INVALID_HYPERCALL_CODE). */
    HypercallDispatcher(GuestMemory memory, Map<Integer, SynicConnectionHandler> connections, TlbFlushHypercalls flushes,
                        IpiHypercalls ipis) {
        this.memory = memory;
        this.connections = connections;
        this.flushes = flushes;
        this.ipis = ipis;
    }

    @Override
    public long call(int vpIndex, VcpuExit.Hypercall call) {
        HypercallControl control = new HypercallControl(call.control());
        int code = control.callCode();
        try {
            if (flushes != null && TlbFlushHypercalls.handles(code)) {
                flushCalls.increment();
                return outcome(vpIndex, code, flushes.call(control, call.input()));
            }
            if (ipis != null && IpiHypercalls.handles(code)) {
                ipiCalls.increment();
                return outcome(vpIndex, code, ipis.call(control, call.input(), call.output()));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "hypercall 0x" + Integer.toHexString(code) + " from vCPU " + vpIndex
                    + " failed; answering INVALID_PARAMETER", e);
            return HypercallControl.result(HvStatus.INVALID_PARAMETER);
        }
        return HypercallControl.result(status(vpIndex, call));
    }

    /** TLB flush hypercalls answered so far (any status). */
    long flushCalls() {
        return flushCalls.sum();
    }

    /** IPI hypercalls answered so far (any status). */
    long ipiCalls() {
        return ipiCalls.sum();
    }

    private long outcome(int vpIndex, int code, HypercallOutcome o) {
        if (o.why() != null) {
            note(vpIndex, () -> "hypercall 0x" + Integer.toHexString(code) + " refused: " + o.why());
        }
        return o.result();
    }

    /** The HV status of one call (the low 16 bits of RAX). */
    int status(int vpIndex, VcpuExit.Hypercall call) {
        HypercallControl control = new HypercallControl(call.control());
        int code = control.callCode();
        if (code != HypercallControl.CALL_POST_MESSAGE && code != HypercallControl.CALL_SIGNAL_EVENT) {
            note(vpIndex, () -> "unknown hypercall code 0x" + Integer.toHexString(code));
            return HvStatus.INVALID_HYPERCALL_CODE;
        }
        if (!control.validSimpleCall()) {
            note(vpIndex, () -> "hypercall 0x" + Integer.toHexString(code) + " with malformed control 0x" + Long.toHexString(call.control()));
            return HvStatus.INVALID_HYPERCALL_INPUT;
        }
        try {
            return code == HypercallControl.CALL_POST_MESSAGE
                    ? postMessage(vpIndex, control, call.input())
                    : signalEvent(vpIndex, control, call.input());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "hypercall 0x" + Integer.toHexString(code) + " from vCPU " + vpIndex
                    + " failed in its handler; answering INVALID_PARAMETER", e);
            return HvStatus.INVALID_PARAMETER;
        }
    }

    private int postMessage(int vpIndex, HypercallControl control, long inputGpa) {
        if (control.fast()) {
            note(vpIndex, () -> "HvPostMessage as a fast call");
            return HvStatus.INVALID_HYPERCALL_INPUT;
        }
        switch (PostMessageInput.read(memory, inputGpa)) {
            case PostMessageInput.Parsed.Rejected r -> {
                note(vpIndex, () -> "HvPostMessage rejected: " + r.why());
                return r.status();
            }
            case PostMessageInput.Parsed.Ok ok -> {
                PostMessageInput.Message m = ok.message();
                SynicConnectionHandler h = connections.get(m.connectionId());
                if (h == null) {
                    note(vpIndex, () -> "HvPostMessage to unknown connection " + Integer.toUnsignedString(m.connectionId()));
                    return HvStatus.INVALID_CONNECTION_ID;
                }
                return h.onPostMessage(vpIndex, m.connectionId(), m.messageType(), m.payload()) & 0xFFFF;
            }
        }
    }

    private int signalEvent(int vpIndex, HypercallControl control, long input) {
        long value = input;
        if (!control.fast()) {
            if ((input & 7) != 0 || !memory.isRam(input, 8)) {
                note(vpIndex, () -> "HvSignalEvent input GPA 0x" + Long.toHexString(input) + " unaligned or not RAM");
                return HvStatus.INVALID_ALIGNMENT;
            }
            value = memory.readU64(input);
        }
        if ((value & (SIGNAL_RESERVED | CONNECTION_ID_RESERVED)) != 0) {
            long bad = value;
            note(vpIndex, () -> "HvSignalEvent with reserved bits in 0x" + Long.toHexString(bad));
            return HvStatus.INVALID_PARAMETER;
        }
        int connectionId = (int) (value & 0xFF_FFFF);
        int flag = (int) ((value >>> 32) & 0xFFFF);
        SynicConnectionHandler h = connections.get(connectionId);
        if (h == null) {
            note(vpIndex, () -> "HvSignalEvent to unknown connection " + connectionId);
            return HvStatus.INVALID_CONNECTION_ID;
        }
        return h.onSignalEvent(vpIndex, connectionId, flag) & 0xFFFF;
    }

    /**
     * Logs a rejected call at DEBUG, the first few at INFO (a misbehaving guest cannot flood the
     * log); the message is built only when that level is on.
     */
    private void note(int vpIndex, java.util.function.Supplier<String> what) {
        System.Logger.Level level = logged.get() < MAX_LOGGED && logged.incrementAndGet() <= MAX_LOGGED
                ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
        LOG.log(level, () -> "vCPU " + vpIndex + ": " + what.get());
    }
}
