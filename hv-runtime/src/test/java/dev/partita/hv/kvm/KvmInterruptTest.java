package dev.partita.hv.kvm;

import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.VirtualProcessor;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.partita.hv.kvm.KvmTestGuests.bytes;
import static org.junit.jupiter.api.Assertions.*;

/** Interrupts raised by the host reach a halted guest through KVM's in-kernel PIC; multi-vCPU stop. */
class KvmInterruptTest {

    @BeforeEach
    void needKvm() {
        KvmTestGuests.assumeKvm();
    }

    /**
     * Real mode: installs an IVT entry for vector 9, programs the PIC (base 8, only IRQ 1 unmasked),
     * prints 'R', then {@code sti; hlt} in a loop. The handler prints 'I', sends EOI and exits 0.
     * Assembled with GNU as (.code16) from the source in the comment of each line group.
     */
    private static final byte[] IRQ_GUEST = bytes(
            0xfa, 0x31, 0xc0, 0x8e, 0xd8,                         // cli; xor ax,ax; mov ds,ax
            0xc7, 0x06, 0x24, 0x00, 0x2d, 0x7c,                   // mov word [0x24], handler (0x7C2D)
            0xc7, 0x06, 0x26, 0x00, 0x00, 0x00,                   // mov word [0x26], 0
            0xb0, 0x11, 0xe6, 0x20, 0xb0, 0x08, 0xe6, 0x21,       // ICW1 0x11 -> 0x20; ICW2 0x08 -> 0x21
            0xb0, 0x04, 0xe6, 0x21, 0xb0, 0x01, 0xe6, 0x21,       // ICW3 0x04; ICW4 0x01
            0xb0, 0xfd, 0xe6, 0x21,                               // OCW1: mask all but IRQ 1
            0xb0, 0x52, 0xe6, 0xe9,                               // out 0xE9, 'R'
            0xfb, 0xf4, 0xeb, 0xfd,                               // sti; wait: hlt; jmp wait
            0xb0, 0x49, 0xe6, 0xe9,                               // handler: out 0xE9, 'I'
            0xb0, 0x20, 0xe6, 0x20,                               // EOI
            0xb0, 0x00, 0xe6, 0xf4,                               // out 0xF4, 0
            0xcf);                                                // iret

    @Test
    void raisingAnIsaLineWakesAHaltedGuest() throws Exception {
        CapturingConsoleSink console = new CapturingConsoleSink();
        try (Partition p = KvmTestGuests.partition("kvm-irq1")) {
            DebugDevices.attach(p, console);
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, IRQ_GUEST, KvmTestGuests.realMode());
            p.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!console.text().contains("R") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals("R", console.text(), "guest reached its halt loop");
            Thread.sleep(50); // let it halt (not required: the PIC latches the edge either way)
            assertFalse(p.hasEnded());
            p.pulseGsi(1);
            PartitionResult r = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
            assertEquals("RI", console.text());
        }
    }

    @Test
    void applicationProcessorsWaitingForSipiStopWithThePartition() {
        try (Partition p = Hypervisor.get().createPartition(
                PartitionConfig.defaults("kvm-smp").withMemory(2 << 20).withCpus(3).withBackend("kvm"))) {
            DebugDevices.attach(p, b -> { });
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, bytes(0xB0, 0x05, 0xE6, 0xF4), KvmTestGuests.realMode());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(5), r, r.report());
            for (VirtualProcessor vp : p.processors()) {
                assertEquals(VirtualProcessor.Status.STOPPED, vp.status(), "vCPU " + vp.index());
            }
        }
    }
}
