package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrFault;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The synthetic interrupt controller of a partition: one {@link SynicProcessor} per virtual
 * processor, host-to-guest delivery ({@link SynicDelivery}) and the SynIC MSRs' semantics.
 *
 * <p><b>Interrupts.</b> A delivered message or a newly set event flag raises the SINT's vector on
 * the target processor through the {@link InterruptSink} (a fixed, edge-triggered interrupt).
 * Masked SINTs and a disabled SynIC deliver nothing. <b>Auto-EOI is not emulated:</b> the
 * in-kernel (KVM) or emulated local APIC has no notion of it, so an auto-EOI SINT is delivered as
 * an ordinary interrupt that the guest must EOI. Partita advertises the deprecating-auto-EOI hint
 * (CPUID 0x40000004.EAX bit 9), with which Linux does not use auto-EOI; a guest that sets it
 * anyway is logged once.
 *
 * <p><b>Threads.</b> Thread-safe; see {@link SynicProcessor} for the locking.
 */
public final class SynIc implements SynicDelivery {
    private static final System.Logger LOG = System.getLogger(SynIc.class.getName());

    private final List<SynicProcessor> processors;
    private final InterruptSink interrupts;
    private final AtomicBoolean autoEoiLogged = new AtomicBoolean();
    private final AtomicBoolean queueFullLogged = new AtomicBoolean();

    /**
     * @param memory     the partition's RAM (message and event-flag pages live there)
     * @param vpCount    number of virtual processors
     * @param interrupts where SINT interrupts go
     */
    public SynIc(GuestMemory memory, int vpCount, InterruptSink interrupts) {
        Objects.requireNonNull(memory, "memory");
        if (vpCount < 1) {
            throw new IllegalArgumentException("SynIC needs at least one processor, got " + vpCount);
        }
        SynicProcessor[] all = new SynicProcessor[vpCount];
        for (int i = 0; i < vpCount; i++) {
            all[i] = new SynicProcessor(i, memory);
        }
        this.processors = List.of(all);
        this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
    }

    /** Number of virtual processors. */
    public int processorCount() {
        return processors.size();
    }

    SynicProcessor processor(int vp) {
        return processors.get(vp);
    }

    // ---------------------------------------------------------------- SynicDelivery

    @Override
    public boolean postMessage(int vp, int sint, int messageType, byte[] payload) {
        checkTarget(vp, sint);
        Objects.requireNonNull(payload, "payload");
        if (messageType == 0 || payload.length > MessagePage.MAX_PAYLOAD) {
            throw new IllegalArgumentException("postMessage: type " + Integer.toUnsignedString(messageType) + ", "
                    + payload.length + " payload bytes (type must be non-zero, payload at most " + MessagePage.MAX_PAYLOAD + ")");
        }
        SynicProcessor p = processors.get(vp);
        int vector = p.post(sint, new SynicMessage(messageType, 0, payload));
        if (vector == SynicProcessor.DROPPED) {
            if (p.queued(sint) >= SynicProcessor.QUEUE_LIMIT && queueFullLogged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "SynIC queue of vCPU " + vp + " SINT" + sint + " is full ("
                        + SynicProcessor.QUEUE_LIMIT + " messages): dropping (logged once)");
            }
            return false;
        }
        raise(vp, sint, vector);
        return true;
    }

    @Override
    public boolean signalEvent(int vp, int sint, int flag) {
        checkTarget(vp, sint);
        if (flag < 0 || flag >= EventFlagsPage.FLAGS_PER_SINT) {
            throw new IllegalArgumentException("signalEvent: flag " + flag + " outside 0-" + (EventFlagsPage.FLAGS_PER_SINT - 1));
        }
        int vector = processors.get(vp).signal(sint, flag);
        if (vector == SynicProcessor.DROPPED) {
            return false;
        }
        raise(vp, sint, vector);
        return true;
    }

    private void checkTarget(int vp, int sint) {
        if (vp < 0 || vp >= processors.size()) {
            throw new IllegalArgumentException("SynIC target vCPU " + vp + " outside 0-" + (processors.size() - 1));
        }
        if (sint < 0 || sint >= HvMsr.SINT_COUNT) {
            throw new IllegalArgumentException("SINT " + sint + " outside 0-" + (HvMsr.SINT_COUNT - 1));
        }
    }

    private void raise(int vp, int sint, int vector) {
        if (vector < 0) {
            return;
        }
        if (processors.get(vp).autoEoi(sint) && autoEoiLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "vCPU " + vp + " SINT" + sint + " asks for auto-EOI, which Partita does not "
                    + "emulate: the interrupt is delivered as a normal one that the guest must EOI (logged once)");
        }
        interrupts.raise(vp, vector);
    }

    private void raiseAll(int vp, int[] vectors) {
        for (int v : vectors) {
            interrupts.raise(vp, v);
        }
    }

    // ---------------------------------------------------------------- MSRs (called by the synthetic MSR handler)

    long readMsr(int vp, int index) throws MsrFault {
        SynicProcessor p = processors.get(vp);
        return switch (index) {
            case HvMsr.SCONTROL -> p.scontrol();
            case HvMsr.SVERSION -> HvMsr.SYNIC_VERSION;
            case HvMsr.SIEFP -> p.siefp();
            case HvMsr.SIMP -> p.simp();
            case HvMsr.EOM -> 0;
            default -> {
                if (index >= HvMsr.SINT0 && index <= HvMsr.SINT15) {
                    yield p.sint(index - HvMsr.SINT0);
                }
                throw new MsrFault("not a SynIC MSR: 0x" + Integer.toHexString(index));
            }
        };
    }

    void writeMsr(int vp, int index, long value) throws MsrFault {
        SynicProcessor p = processors.get(vp);
        switch (index) {
            case HvMsr.SCONTROL -> raiseAll(vp, p.writeScontrol(value));
            case HvMsr.SVERSION -> throw new MsrFault("SVERSION is read-only");
            case HvMsr.SIEFP -> p.writeSiefp(value);
            case HvMsr.SIMP -> raiseAll(vp, p.writeSimp(value));
            case HvMsr.EOM -> raiseAll(vp, p.endOfMessage());
            default -> {
                if (index < HvMsr.SINT0 || index > HvMsr.SINT15) {
                    throw new MsrFault("not a SynIC MSR: 0x" + Integer.toHexString(index));
                }
                raiseAll(vp, p.writeSint(index - HvMsr.SINT0, value));
            }
        }
    }

    static boolean isSynicMsr(int index) {
        return (index >= HvMsr.SCONTROL && index <= HvMsr.EOM) || (index >= HvMsr.SINT0 && index <= HvMsr.SINT15);
    }
}
