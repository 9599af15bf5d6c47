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
 * The run loop allocates nothing per exit when a guest polls (the same OUT and IN over and over):
 * the heap bytes the vCPU thread allocates between two points of a long exit loop, divided by
 * the exits in between. Not a timing test.
 */
class KvmRunLoopAllocationTest {
    private static final int ITERATIONS = 60_000;
    private static final int FROM = 10_000;
    private static final int TO = 50_000;

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
        long[] allocated = new long[2];
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
                    outs++;
                    if (outs == FROM) {
                        allocated[0] = threads.getCurrentThreadAllocatedBytes();
                    } else if (outs == TO) {
                        allocated[1] = threads.getCurrentThreadAllocatedBytes();
                    }
                }
            }, "poll-target");
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, code, KvmTestGuests.realMode());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(120));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
        }
        assertEquals(ITERATIONS, ins[0], "every IN reached the device");
        double perExit = (allocated[1] - allocated[0]) / (2.0 * (TO - FROM));
        System.out.println("KVM run loop: " + perExit + " bytes allocated per exit over " + 2 * (TO - FROM) + " exits");
        assertTrue(perExit < 1.0, "bytes allocated per exit: " + perExit);
    }
}
