package dev.partita.hv.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread's CPU time (user + system) from {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)},
 * the same clock the C reference reads. Called a few times per benchmark run, so each call uses a
 * confined arena for its timespec.
 */
final class ThreadCpuClock {
    private static final int CLOCK_THREAD_CPUTIME_ID = 3; // <time.h>
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle CLOCK_GETTIME = LINKER.downcallHandle(
            LINKER.defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private ThreadCpuClock() {}

    /** CPU nanoseconds used by the calling thread so far. */
    static long nanos() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(16, 8); // struct timespec { time_t tv_sec; long tv_nsec; }
            int rc;
            try {
                rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_THREAD_CPUTIME_ID, ts);
            } catch (Throwable t) {
                throw new IllegalStateException("clock_gettime failed", t);
            }
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) returned " + rc);
            }
            return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
        }
    }
}
