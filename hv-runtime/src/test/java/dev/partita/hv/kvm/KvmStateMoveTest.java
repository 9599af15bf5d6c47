package dev.partita.hv.kvm;

import dev.partita.hv.Partition;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.memory.RamRegion;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.partita.hv.kvm.KvmTestGuests.bytes;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A guest paused in the middle of a port-I/O polling loop is moved to a second partition (RAM
 * copied, VpState read from one and written to the other) and finishes there: the state read
 * after an IN exit includes the completed IN.
 */
class KvmStateMoveTest {

    @BeforeEach
    void needKvm() {
        KvmTestGuests.assumeKvm();
    }

    /** A port whose reads return a fixed value. */
    private static PortIoDevice constant(int value) {
        return new PortIoDevice() {
            public int read(int offset, int size) {
                return value;
            }

            public void write(int offset, int size, int v) {
            }
        };
    }

    @Test
    void pausedGuestContinuesInAnotherPartition() throws Exception {
        byte[] code = bytes(
                0xB0, 'a', 0xE6, 0xE9,        // out 0xE9, 'a'
                0xE4, 0x90,                   // poll: in al, 0x90
                0x84, 0xC0,                   // test al, al
                0x74, 0xFA,                   // jz poll
                0xB0, 'b', 0xE6, 0xE9,        // out 0xE9, 'b'
                0xB0, 0x09, 0xE6, 0xF4);      // out 0xF4, 9
        CapturingConsoleSink consoleA = new CapturingConsoleSink();
        CapturingConsoleSink consoleB = new CapturingConsoleSink();
        try (Partition a = KvmTestGuests.partition("kvm-move-a");
             Partition b = KvmTestGuests.partition("kvm-move-b")) {
            DebugDevices.attach(a, consoleA);
            DebugDevices.attach(b, consoleB);
            a.ioBus().register(0x90, 1, constant(0), "never-ready");
            b.ioBus().register(0x90, 1, constant(1), "ready");
            KvmTestGuests.load(a, KvmTestGuests.FLAT_LOAD, code, KvmTestGuests.realMode());
            a.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!consoleA.text().equals("a") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(20);
            a.pause();
            VpState state = a.processor(0).state();
            assertTrue(state.rip() >= KvmTestGuests.FLAT_LOAD + 4 && state.rip() <= KvmTestGuests.FLAT_LOAD + 10,
                    "paused inside the polling loop: rip=0x" + Long.toHexString(state.rip()));
            for (RamRegion r : a.memory().regions()) {
                b.memory().write(r.gpa(), r.segment());
            }
            b.processor(0).setState(state);
            b.start();
            PartitionResult rb = b.awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(9), rb, rb.report());
            assertEquals("b", consoleB.text(), "b continued where a stopped; it did not start over");
            assertEquals("a", consoleA.text());
            assertFalse(a.hasEnded(), "a is only paused");
        }
    }
}
