package dev.partita.hv.kvm;

import dev.partita.hv.Partition;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.VirtualProcessor;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.partita.hv.kvm.KvmTestGuests.bytes;
import static org.junit.jupiter.api.Assertions.*;

/** Pause/resume/stop/timeout with real KVM vCPUs, and partitions that do not disturb each other. */
class KvmLifecycleTest {

    @BeforeEach
    void needKvm() {
        KvmTestGuests.assumeKvm();
    }

    @Test
    void aSpinningGuestCanBePausedInspectedResumedAndTimedOut() {
        byte[] spin = bytes(0xEB, 0xFE); // jmp $
        try (Partition p = KvmTestGuests.partition("kvm-spin")) {
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, spin, KvmTestGuests.realMode());
            p.start();
            p.pause();
            VirtualProcessor vp = p.processor(0);
            assertEquals(VirtualProcessor.Status.PAUSED, vp.status());
            assertEquals(KvmTestGuests.FLAT_LOAD, vp.state().rip(), "the guest is still on its jmp $");
            p.resume();
            PartitionResult r = p.awaitExit(Duration.ofMillis(300));
            assertInstanceOf(PartitionResult.TimedOut.class, r);
            assertEquals(124, r.exitStatus());
        }
    }

    @Test
    void aGuestHaltedWithInterruptsOffCanBeStopped() {
        byte[] halt = bytes(0xFA, 0xF4); // cli; hlt   (KVM halts in the kernel: only a kick gets us out)
        try (Partition p = KvmTestGuests.partition("kvm-halt")) {
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, halt, KvmTestGuests.realMode());
            p.start();
            assertEquals(new PartitionResult.Stopped("stopped by host"), p.stop());
            assertEquals(VirtualProcessor.Status.STOPPED, p.processor(0).status());
        }
    }

    @Test
    void aTripleFaultInOneGuestLeavesAnotherRunning() {
        byte[] fault = bytes(0x0F, 0x0B); // ud2 with no IDT: #UD -> #GP -> #DF -> shutdown
        // prints 'z' forever until the host stops it
        byte[] printer = bytes(0xB0, 'z', 0xE6, 0xE9, 0xEB, 0xFA); // mov al,'z'; out 0xE9,al; jmp -6
        CapturingConsoleSink console = new CapturingConsoleSink(1 << 16);
        try (Partition a = KvmTestGuests.partition("kvm-fault");
             Partition b = KvmTestGuests.partition("kvm-healthy")) {
            DebugDevices.attach(b, console);
            KvmTestGuests.load(a, 0x8000, fault, KvmTestGuests.protectedMode(0x8000));
            KvmTestGuests.load(b, KvmTestGuests.FLAT_LOAD, printer, KvmTestGuests.realMode());
            b.start();
            a.start();
            PartitionResult ra = a.awaitExit(Duration.ofSeconds(60));
            PartitionResult.TripleFault tf = assertInstanceOf(PartitionResult.TripleFault.class, ra, ra.report());
            assertTrue(tf.registers().contains("rip=0000000000008000"), tf.registers());
            assertFalse(b.hasEnded(), "b still runs after a's triple fault");
            int before = console.text().length();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (console.text().length() == before && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(console.text().length() > before, "b keeps printing after a ended");
            assertEquals(new PartitionResult.Stopped("stopped by host"), b.stop());
            assertTrue(console.text().chars().allMatch(c -> c == 'z'));
        }
    }

    @Test
    void interruptLinesAndMsiAreAcceptedAndBadOnesRefused() {
        try (Partition p = KvmTestGuests.partition("kvm-irq")) {
            p.pulseGsi(4);
            p.raiseGsi(10);
            p.lowerGsi(10);
            p.sendInterrupt(0, 0x40);
            assertThrows(IllegalArgumentException.class, () -> p.raiseGsi(24));
            assertThrows(IllegalArgumentException.class, () -> p.signalMsi(0x1000, 0x40));
            assertThrows(IllegalArgumentException.class, () -> p.sendInterrupt(0, 3));
        }
    }

    @Test
    void dirtyPagesIncludeGuestWrites() {
        // mov byte [0x5000], 1 ; mov byte [0x9123], 2 ; out 0xF4, al   (real mode, DS=0)
        byte[] code = bytes(0xC6, 0x06, 0x00, 0x50, 0x01, 0xC6, 0x06, 0x23, 0x91, 0x02, 0xB0, 0x00, 0xE6, 0xF4);
        try (Partition p = KvmTestGuests.partition("kvm-dirty")) {
            DebugDevices.attach(p, b -> { });
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, code, KvmTestGuests.realMode());
            p.setDirtyTracking(true);
            p.memory().collectDirtyPages();
            p.start();
            assertEquals(new PartitionResult.Exited(0), p.awaitExit(Duration.ofSeconds(60)));
            var dirty = p.memory().collectDirtyPages();
            assertTrue(dirty.isDirty(0x5000), "guest write to 0x5000 is logged");
            assertTrue(dirty.isDirty(0x9000), "guest write to 0x9123 is logged");
            assertFalse(dirty.isDirty(0x40000), "untouched page is clean");
        }
    }

    @Test
    void stateOfAFreshProcessorIsTheStateWeSet() {
        try (Partition p = KvmTestGuests.partition("kvm-fresh")) {
            VpState want = KvmTestGuests.protectedMode(0x1234);
            p.processor(0).setState(want);
            VpState got = p.processor(0).state();
            assertEquals(0x1234, got.rip());
            assertEquals(want.cs(), got.cs());
        }
    }
}
