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
    void anMsiReachesTheLocalApicOfAHaltedProtectedModeGuest() throws Exception {
        long code = 0x8000;
        long handler = 0x8020;
        long gdt = 0x9000;
        long idt = 0xA000;
        int vector = 0x40;
        byte[] main = bytes(
                0xC7, 0x05, 0xF0, 0x00, 0xE0, 0xFE, 0xFF, 0x01, 0x00, 0x00, // mov dword [0xFEE000F0], 0x1FF (APIC on)
                0xB0, 'R', 0xE6, 0xE9,                                     // out 0xE9, 'R'
                0xFB, 0xF4, 0xEB, 0xFD);                                   // sti; l: hlt; jmp l
        byte[] isr = bytes(0xB0, 'M', 0xE6, 0xE9, 0xB0, 0x00, 0xE6, 0xF4);  // out 0xE9, 'M'; out 0xF4, 0
        CapturingConsoleSink console = new CapturingConsoleSink();
        try (Partition p = KvmTestGuests.partition("kvm-msi")) {
            DebugDevices.attach(p, console);
            p.memory().writeU64(gdt + 8, 0x00CF9A000000FFFFL);   // 0x08: flat 32-bit code
            p.memory().writeU64(gdt + 16, 0x00CF92000000FFFFL);  // 0x10: flat 32-bit data
            long gate = (handler & 0xFFFF) | (0x08L << 16) | (0x8EL << 40) | ((handler >>> 16) << 48); // 32-bit interrupt gate
            p.memory().writeU64(idt + 8L * vector, gate);
            p.memory().write(handler, isr);
            KvmTestGuests.load(p, code, main, KvmTestGuests.protectedMode(code).toBuilder()
                    .gdtr(new dev.partita.hv.vp.TableRegister(gdt, 23))
                    .idtr(new dev.partita.hv.vp.TableRegister(idt, 8 * vector + 7)).build());
            p.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!console.text().contains("R") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals("R", console.text(), "guest enabled its APIC and halted");
            p.sendInterrupt(0, vector);
            PartitionResult r = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
            assertEquals("RM", console.text());
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
