package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrFault;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SynIC of one virtual processor: SCONTROL, SIEFP, SIMP, SINT0-15 and, per SINT, the queue of
 * host messages not yet in the slot.
 *
 * <p><b>Threads.</b> MSR accesses come from the processor's own thread, deliveries from any host
 * thread; every method takes this object's monitor, held only for a few guest-memory accesses
 * (never while raising an interrupt: methods return the vector to raise, or {@link #NO_INTERRUPT}).
 */
final class SynicProcessor {
    /** Returned when no interrupt is due. */
    static final int NO_INTERRUPT = -1;
    /** Returned when a message or flag was not accepted. */
    static final int DROPPED = -2;
    /** At most this many messages wait per SINT behind the one in the slot. */
    static final int QUEUE_LIMIT = 1024;

    private final int vpIndex;
    private final GuestMemory memory;
    private long scontrol;
    private long siefp;
    private long simp;
    private final long[] sint = new long[HvMsr.SINT_COUNT];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<SynicMessage>[] queues = new ArrayDeque[HvMsr.SINT_COUNT];

    SynicProcessor(int vpIndex, GuestMemory memory) {
        this.vpIndex = vpIndex;
        this.memory = memory;
        for (int i = 0; i < HvMsr.SINT_COUNT; i++) {
            sint[i] = HvMsr.SINT_MASKED;
            queues[i] = new ArrayDeque<>();
        }
    }

    // ---------------------------------------------------------------- MSRs

    synchronized long scontrol() {
        return scontrol;
    }

    synchronized long siefp() {
        return siefp;
    }

    synchronized long simp() {
        return simp;
    }

    synchronized long sint(int n) {
        return sint[n];
    }

    /** SCONTROL write; returns the SINTs whose queued messages became deliverable, as vectors to raise. */
    synchronized int[] writeScontrol(long value) {
        scontrol = value & HvMsr.ENABLE;
        return deliverAll();
    }

    /** SIEFP write: a newly enabled or moved page is cleared; a page outside RAM is refused (#GP). */
    synchronized void writeSiefp(long value) throws MsrFault {
        siefp = overlayPage("SIEFP", siefp, value);
    }

    /** SIMP write: like SIEFP; queued messages may now be delivered. */
    synchronized int[] writeSimp(long value) throws MsrFault {
        simp = overlayPage("SIMP", simp, value);
        return deliverAll();
    }

    private long overlayPage(String name, long old, long value) throws MsrFault {
        long v = value & (HvMsr.PAGE_MASK | HvMsr.ENABLE);
        boolean enable = (v & HvMsr.ENABLE) != 0;
        long gpa = v & HvMsr.PAGE_MASK;
        if (enable && !memory.isRam(gpa, MessagePage.SLOT_SIZE * HvMsr.SINT_COUNT)) {
            throw new MsrFault(name + " of vCPU " + vpIndex + ": page 0x" + Long.toHexString(gpa) + " is not guest RAM");
        }
        if (enable && v != old) {
            memory.fill(gpa, GuestMemory.PAGE_SIZE, (byte) 0);
        }
        return v;
    }

    /** SINTn write; vectors below 16 are refused (#GP) unless masked. Unmasking may deliver queued messages. */
    synchronized int[] writeSint(int n, long value) throws MsrFault {
        long v = value & HvMsr.SINT_WRITABLE;
        if ((v & HvMsr.SINT_MASKED) == 0 && (v & HvMsr.SINT_VECTOR_MASK) < HvMsr.SINT_FIRST_VALID_VECTOR) {
            throw new MsrFault("SINT" + n + " of vCPU " + vpIndex + ": vector " + (v & HvMsr.SINT_VECTOR_MASK) + " is reserved");
        }
        sint[n] = v;
        return deliverAll();
    }

    /** EOM: the guest emptied a slot that was marked pending; deliver what waits. */
    synchronized int[] endOfMessage() {
        return deliverAll();
    }

    // ---------------------------------------------------------------- delivery

    /** Whether SINT {@code n} can interrupt: SynIC enabled and the SINT unmasked. */
    private boolean sintLive(int n) {
        return (scontrol & HvMsr.ENABLE) != 0 && (sint[n] & HvMsr.SINT_MASKED) == 0;
    }

    private int vector(int n) {
        return (int) (sint[n] & HvMsr.SINT_VECTOR_MASK);
    }

    /** Whether SINT {@code n} has the auto-EOI bit (delivered as an ordinary fixed interrupt; see {@link SynIc}). */
    synchronized boolean autoEoi(int n) {
        return (sint[n] & HvMsr.SINT_AUTO_EOI) != 0;
    }

    /**
     * Queues a message; returns the vector to raise, {@link #NO_INTERRUPT} when it waits behind
     * another, or {@link #DROPPED} when it was dropped (SynIC, SIMP or SINT not enabled, or queue full).
     */
    synchronized int post(int n, SynicMessage message) {
        if (!sintLive(n) || (simp & HvMsr.ENABLE) == 0 || queues[n].size() >= QUEUE_LIMIT) {
            return DROPPED;
        }
        queues[n].add(message);
        return deliver(n);
    }

    /**
     * Sets event flag {@code flag} of SINT {@code n}; returns the vector to raise,
     * {@link #NO_INTERRUPT} if the flag was already set, or {@link #DROPPED} when nothing was set
     * (SynIC, SIEFP or SINT not enabled).
     */
    synchronized int signal(int n, int flag) {
        if (!sintLive(n) || (siefp & HvMsr.ENABLE) == 0) {
            return DROPPED;
        }
        return EventFlagsPage.set(memory, siefp & HvMsr.PAGE_MASK, n, flag) ? vector(n) : NO_INTERRUPT;
    }

    /** Moves the head of SINT n's queue into its slot if the slot is free; the vector to raise or NO_INTERRUPT. */
    private int deliver(int n) {
        ArrayDeque<SynicMessage> q = queues[n];
        if (q.isEmpty() || !sintLive(n) || (simp & HvMsr.ENABLE) == 0) {
            return NO_INTERRUPT;
        }
        long slot = MessagePage.slot(simp & HvMsr.PAGE_MASK, n);
        if (!MessagePage.isEmpty(memory, slot) && MessagePage.markPendingIfStillFull(memory, slot)) {
            return NO_INTERRUPT;
        }
        SynicMessage m = q.poll();
        MessagePage.fill(memory, slot, m, !q.isEmpty());
        return vector(n);
    }

    private int[] deliverAll() {
        int[] vectors = null;
        int count = 0;
        for (int n = 0; n < HvMsr.SINT_COUNT; n++) {
            int v = deliver(n);
            if (v >= 0) {
                if (vectors == null) {
                    vectors = new int[HvMsr.SINT_COUNT];
                }
                vectors[count++] = v;
            }
        }
        return vectors == null ? NONE : Arrays.copyOf(vectors, count);
    }

    private static final int[] NONE = new int[0];

    /** Messages waiting behind SINT n's slot (for tests and diagnostics). */
    synchronized int queued(int n) {
        return queues[n].size();
    }

    // ---------------------------------------------------------------- saved state

    synchronized SynicSnapshot save() {
        List<List<SynicMessage>> q = new ArrayList<>();
        for (ArrayDeque<SynicMessage> d : queues) {
            q.add(List.copyOf(d));
        }
        return new SynicSnapshot(scontrol, siefp, simp, sint.clone(), q);
    }

    /**
     * Checks that {@code s} holds only what MSR writes can leave behind, so a restored processor
     * behaves as one the guest configured: SCONTROL, SIMP, SIEFP and SINTs without bits a write
     * masks off, enabled pages inside guest RAM, unmasked SINTs with vectors 16-255.
     *
     * @throws IllegalArgumentException naming the first value that could not have been written
     */
    static void checkRestorable(int vpIndex, SynicSnapshot s, GuestMemory memory) {
        if ((s.scontrol() & ~HvMsr.ENABLE) != 0) {
            throw new IllegalArgumentException("vCPU " + vpIndex + " SCONTROL 0x" + Long.toHexString(s.scontrol()) + " has reserved bits");
        }
        checkPage(vpIndex, "SIMP", s.simp(), memory);
        checkPage(vpIndex, "SIEFP", s.siefp(), memory);
        long[] sints = s.sint();
        for (int n = 0; n < sints.length; n++) {
            long v = sints[n];
            if ((v & ~HvMsr.SINT_WRITABLE) != 0
                    || (v & HvMsr.SINT_MASKED) == 0 && (v & HvMsr.SINT_VECTOR_MASK) < HvMsr.SINT_FIRST_VALID_VECTOR) {
                throw new IllegalArgumentException("vCPU " + vpIndex + " SINT" + n + " 0x" + Long.toHexString(v)
                        + " has reserved bits or an unmasked vector below " + HvMsr.SINT_FIRST_VALID_VECTOR);
            }
        }
    }

    private static void checkPage(int vpIndex, String name, long v, GuestMemory memory) {
        if ((v & ~(HvMsr.PAGE_MASK | HvMsr.ENABLE)) != 0) {
            throw new IllegalArgumentException("vCPU " + vpIndex + " " + name + " 0x" + Long.toHexString(v) + " has reserved bits");
        }
        if ((v & HvMsr.ENABLE) != 0 && !memory.isRam(v & HvMsr.PAGE_MASK, GuestMemory.PAGE_SIZE)) {
            throw new IllegalArgumentException("vCPU " + vpIndex + " " + name + " page 0x" + Long.toHexString(v & HvMsr.PAGE_MASK)
                    + " is not guest RAM");
        }
    }

    /** Replaces the state (pages are not cleared: their contents are part of guest RAM). The caller checked it with {@link #checkRestorable}. */
    synchronized void restore(SynicSnapshot s) {
        scontrol = s.scontrol();
        siefp = s.siefp();
        simp = s.simp();
        System.arraycopy(s.sint(), 0, sint, 0, HvMsr.SINT_COUNT);
        for (int n = 0; n < HvMsr.SINT_COUNT; n++) {
            queues[n].clear();
            queues[n].addAll(s.queues().get(n));
        }
    }
}
