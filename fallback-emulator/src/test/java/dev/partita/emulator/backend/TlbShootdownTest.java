package dev.partita.emulator.backend;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Remote TLB flush tickets: who flushes when, and that a requester's wait always ends. */
class TlbShootdownTest {
    private final AtomicInteger flushes = new AtomicInteger();
    private final TlbShootdown s = new TlbShootdown(flushes::incrementAndGet);

    @Test
    void aVcpuOutsideGuestCodeCompletesAtOnceAndFlushesBeforeItRuns() {
        long t = s.request();
        assertTrue(s.completed(t), "not in guest code: nothing to wait for");
        assertEquals(0, flushes.get());
        s.enter();
        assertEquals(1, flushes.get(), "flushed before the first guest instruction");
        s.enter();
        assertEquals(1, flushes.get(), "once per request");
    }

    @Test
    void aRunningVcpuCompletesAtItsNextBoundary() {
        s.enter();
        long t1 = s.request();
        long t2 = s.request();
        assertFalse(s.completed(t1), "in guest code and not yet at a boundary");
        s.apply();
        assertTrue(s.completed(t1) && s.completed(t2));
        assertEquals(1, flushes.get(), "two requests, one flush");
        s.apply();
        assertEquals(1, flushes.get(), "nothing pending: no flush");
        long t3 = s.request();
        s.leave();
        assertTrue(s.completed(t3), "left guest code (exit, HLT park): complete, flushes on re-entry");
        s.enter();
        assertEquals(2, flushes.get());
    }

    @Test
    void concurrentRequestersAlwaysFinish() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread vcpu = new Thread(() -> {
            int n = 0;
            s.enter();
            while (!stop.get()) {
                s.apply(); // an instruction boundary
                if (++n % 1000 == 0) { // an exit now and then
                    s.leave();
                    Thread.onSpinWait();
                    s.enter();
                }
            }
            s.leave();
        });
        vcpu.start();
        Thread[] requesters = new Thread[2];
        for (int r = 0; r < requesters.length; r++) {
            requesters[r] = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    long t = s.request();
                    while (!s.completed(t)) {
                        Thread.onSpinWait();
                    }
                }
            });
            requesters[r].start();
        }
        for (Thread r : requesters) {
            r.join();
        }
        stop.set(true);
        vcpu.join();
        s.enter();
        assertTrue(flushes.get() >= 1, "the vCPU flushed");
        assertTrue(s.completed(4000), "every ticket done");
    }
}
