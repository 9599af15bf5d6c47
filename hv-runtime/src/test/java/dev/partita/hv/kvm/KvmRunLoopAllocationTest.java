package dev.partita.hv.kvm;

import dev.partita.hv.Partition;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.devices.debug.DebugDevices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;

import static dev.partita.hv.kvm.KvmTestGuests.bytes;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The compiled run loop allocates nothing per exit when a guest polls (the same OUT and IN over and over):
 * the heap bytes the vCPU thread allocates per exit, measured over consecutive windows of a long exit loop,
 * and the smallest window counted. Not a timing test.
 *
 * <p>Why the minimum: until the JIT's optimizing compiler has compiled the exit path, every KVM_RUN allocates
 * 40 bytes inside the JDK's downcall (the errno capture segment is sliced per call, see
 * {@code jdk.internal.foreign.abi.SharedUtils.checkCaptureSegment}); escape analysis removes that slice from
 * compiled code. Interpreted or C1-only runs show exactly 40 bytes per exit. How many exits run before the
 * compiled code takes over depends on the JIT, so windows before it are expected to allocate; the steady
 * state must not. This class runs in its own JVM with {@code -Xbatch} (see the module's pom), which makes
 * that hand-over depend on invocation counts only.
 */
class KvmRunLoopAllocationTest {
    private static final int ITERATIONS = 200_000;
    private static final int WINDOW = 20_000;

    /**
     * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()}, reached reflectively:
     * the tests compile inside module dev.partita.hv, which does not read java.management.
     */
    private static final class AllocationCounter {
        private final Object bean;
        private final Method current;

        AllocationCounter() {
            try {
                bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
                current = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("thread allocation counter unavailable", e);
            }
        }

        long getCurrentThreadAllocatedBytes() {
            try {
                return (long) current.invoke(bean);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void needKvm() {
        KvmTestGuests.assumeKvm();
    }

    @Test
    void pollingLoopAllocatesNothingPerExit() {
        // mov ecx, N ; loop: out 0x80, al ; in al, 0x81 ; dec ecx ; jnz loop ; mov al, 0 ; out 0xF4, al
        byte[] code = bytes(0x66, 0xB9, ITERATIONS & 0xFF, (ITERATIONS >> 8) & 0xFF, (ITERATIONS >> 16) & 0xFF, 0,
                0xE6, 0x80, 0xE4, 0x81, 0x66, 0x49, 0x75, 0xF8, 0xB0, 0x00, 0xE6, 0xF4);
        AllocationCounter threads = new AllocationCounter();
        long[] marks = new long[ITERATIONS / WINDOW + 1];
        int[] ins = new int[1];
        try (Partition p = KvmTestGuests.partition("kvm-alloc")) {
            DebugDevices.attach(p, b -> { });
            p.ioBus().register(0x80, 2, new PortIoDevice() {
                private int outs;

                @Override
                public int read(int offset, int size) {
                    ins[0]++;
                    return 1;
                }

                @Override
                public void write(int offset, int size, int value) {
                    if (outs % WINDOW == 0) {
                        marks[outs / WINDOW] = threads.getCurrentThreadAllocatedBytes();
                    }
                    outs++;
                }
            }, "poll-target");
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, code, KvmTestGuests.realMode());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(300));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
        }
        assertEquals(ITERATIONS, ins[0], "every IN reached the device");
        // Window k spans OUTs [k*WINDOW, (k+1)*WINDOW): 2*WINDOW exits (each OUT and each IN exits).
        double[] perExit = new double[marks.length - 2];
        double min = Double.MAX_VALUE;
        for (int k = 0; k < perExit.length; k++) {
            perExit[k] = (marks[k + 1] - marks[k]) / (2.0 * WINDOW);
            min = Math.min(min, perExit[k]);
        }
        System.out.println("KVM run loop: bytes allocated per exit in windows of " + 2 * WINDOW + " exits: "
                + java.util.Arrays.toString(perExit) + "; minimum " + min);
        assertTrue(min < 1.0, "bytes allocated per exit in every window: " + java.util.Arrays.toString(perExit));
    }
}
