package dev.partita.emulator.backend;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Remote TLB flush requests for one vCPU (the Hyper-V flush hypercalls): another thread takes a
 * ticket with {@link #request()}, wakes the vCPU, and waits until {@link #completed(long)}. The
 * vCPU flushes its soft TLB at its next instruction boundary ({@link #apply}) and before it
 * executes guest code again after being outside it ({@link #enter}).
 *
 * <p>Why waiting is safe and enough: a vCPU not executing guest instructions (returned from
 * {@code run()} for an exit or a hypercall, paused, or parked in HLT) counts as completed, because
 * it applies every pending request in {@link #enter} before its next instruction. The requester
 * writes its ticket and then reads {@code inGuest}; the vCPU writes {@code inGuest} and then reads
 * the tickets; both are volatile, so at least one of them sees the other's write. Two vCPUs
 * flushing each other never wait on one another: both are in a hypercall, outside guest code.
 *
 * <p>Threads: {@link #request()} and {@link #completed(long)} from any thread; the rest on the vCPU's own.
 */
final class TlbShootdown {
    private final Runnable flushAll;
    private final AtomicLong requested = new AtomicLong();
    private volatile long done;
    private volatile boolean inGuest;

    /** @param flushAll drops every cached translation of the vCPU (its MMU's flushAll), run on the vCPU thread */
    TlbShootdown(Runnable flushAll) {
        this.flushAll = flushAll;
    }

    /** A ticket: the request is complete when {@link #completed} says so. Any thread. */
    long request() {
        return requested.incrementAndGet();
    }

    /** Whether the vCPU has flushed for {@code ticket} or is outside guest code (and will flush first). Any thread. */
    boolean completed(long ticket) {
        return done >= ticket || !inGuest;
    }

    /** vCPU thread: about to execute guest instructions; flushes what was requested meanwhile. */
    void enter() {
        inGuest = true;
        apply();
    }

    /** vCPU thread: stops executing guest instructions (exit, hypercall, HLT park). */
    void leave() {
        inGuest = false;
    }

    /** vCPU thread, at an instruction boundary: flushes if a request is pending. */
    void apply() {
        long r = requested.get();
        if (r != done) {
            flushAll.run();
            done = r;
        }
    }
}
