package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.kvm.Kvm_h;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kick() from another thread brings a vCPU back out of KVM_RUN. The bound (30 s) only keeps a broken
 * kick from hanging the build; nothing here measures speed.
 */
class KvmKickTest {
    private static final byte[] JMP_SELF = {(byte) 0xEB, (byte) 0xFE};                    // jmp $
    private static final byte[] CLI_HLT = {(byte) 0xFA, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD}; // cli; hlt; jmp -3

    @Test
    void kickBeforeRunMakesTheNextRunReturnInterrupted() {
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmKickTest.kickBeforeRun");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, JMP_SELF, false)) {
            g.vcpu.kick();
            assertEquals(KvmVcpu.RUN_INTERRUPTED, g.vcpu.run());
            assertEquals(0, dev.partita.nativebindings.kvm.kvm_run.immediate_exit(g.vcpu.kvmRun()), "cleared after EINTR");
        }
    }

    @Test
    void kickUnblocksAGuestSpinningInAJmpLoop() throws Exception {
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmKickTest.kickUnblocksAGuestSpinningInAJmpLoop");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, JMP_SELF, false)) {
            assertKickReturnsRun(g);
        }
    }

    @Test
    void kickUnblocksAGuestHaltedInTheKernel() throws Exception {
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmKickTest.kickUnblocksAGuestHaltedInTheKernel");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, CLI_HLT, true)) {
            assertKickReturnsRun(g);
        }
    }

    private static void assertKickReturnsRun(TinyGuest g) throws InterruptedException {
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        Thread vcpuThread = Thread.ofPlatform().name("vcpu-0").daemon(true).start(() -> {
            try {
                entered.countDown();
                int r;
                // Any other exit here would be a guest surprise: stop and report it.
                do {
                    runs.incrementAndGet();
                    r = g.vcpu.run();
                } while (r == Kvm_h.KVM_EXIT_IRQ_WINDOW_OPEN);
                result.set(r);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        // Give the thread time to get into KVM_RUN; if it has not yet, immediate_exit covers it.
        vcpuThread.join(300);
        assertTrue(vcpuThread.isAlive(), "guest should still be running before the kick, got " + Kvm_h.exitReasonName(result.get()));
        g.vcpu.kick();
        vcpuThread.join(TimeUnit.SECONDS.toMillis(30));
        boolean stuck = vcpuThread.isAlive();
        if (stuck) {
            // do not leave a thread in KVM_RUN behind; the test has failed already
            for (int i = 0; i < 100 && vcpuThread.isAlive(); i++) {
                g.vcpu.kick();
                vcpuThread.join(100);
            }
        }
        assertFalse(stuck, "vCPU thread did not leave KVM_RUN after kick()");
        assertNull(failure.get());
        assertEquals(KvmVcpu.RUN_INTERRUPTED, result.get(), Kvm_h.exitReasonName(result.get()));
    }
}
