package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_irqchip;
import dev.partita.nativebindings.kvm.kvm_pit_state2;
import dev.partita.nativebindings.kvm.kvm_run;
import dev.partita.nativebindings.libc.Libc;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VM-level features driven by tiny real-mode guests (skipped when /dev/kvm cannot be opened). */
class KvmVmFeaturesTest {

    @Test
    void filteredMsrReadExitsToUserSpaceAndTakesOurValue() {
        byte[] code = {
                0x66, (byte) 0xB9, 0x00, 0x00, 0x00, 0x40, // mov ecx, 0x40000000
                0x0F, 0x32,                                // rdmsr
                (byte) 0xE6, 0x10,                         // out 0x10, al
                (byte) 0x88, (byte) 0xD0,                  // mov al, dl
                (byte) 0xE6, 0x11,                         // out 0x11, al
                (byte) 0xF4,                               // hlt
        };
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmVmFeaturesTest.filteredMsrRead")) {
            skipUnless(kvm, Kvm_h.KVM_CAP_X86_USER_SPACE_MSR, "filteredMsrRead");
            skipUnless(kvm, Kvm_h.KVM_CAP_X86_MSR_FILTER, "filteredMsrRead");
            try (TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, code, false)) {
                g.vm.enableCap(Kvm_h.KVM_CAP_X86_USER_SPACE_MSR, Kvm_h.KVM_MSR_EXIT_REASON_FILTER);
                g.vm.setMsrFilter(Kvm_h.KVM_MSR_FILTER_DEFAULT_ALLOW, List.of(
                        MsrFilterRange.denyAll(Kvm_h.KVM_MSR_FILTER_READ | Kvm_h.KVM_MSR_FILTER_WRITE, 0x40000000, 0x200)));
                int r = g.vcpu.run();
                assertEquals(Kvm_h.KVM_EXIT_X86_RDMSR, r, Kvm_h.exitReasonName(r));
                MemorySegment run = g.vcpu.kvmRun();
                assertEquals(0x40000000, kvm_run.msr_index(run));
                assertEquals(Kvm_h.KVM_MSR_EXIT_REASON_FILTER, kvm_run.msr_reason(run));
                kvm_run.msr_data(run, 0x0000_0077_0000_00F0L);
                kvm_run.msr_error(run, (byte) 0);
                r = g.vcpu.run();
                assertEquals(Kvm_h.KVM_EXIT_IO, r, Kvm_h.exitReasonName(r));
                assertEquals(0x10, kvm_run.io_port(run));
                assertEquals((byte) 0xF0, g.vcpu.ioData().get(ValueLayout.JAVA_BYTE, 0), "EAX low byte from user space");
                r = g.vcpu.run();
                assertEquals(Kvm_h.KVM_EXIT_IO, r, Kvm_h.exitReasonName(r));
                assertEquals(0x11, kvm_run.io_port(run));
                assertEquals((byte) 0x77, g.vcpu.ioData().get(ValueLayout.JAVA_BYTE, 0), "EDX low byte from user space");
            }
        }
    }

    @Test
    void ioeventfdSwallowsThePortWriteAndSignalsTheEventfd() {
        byte[] code = {
                (byte) 0xB0, 0x07,  // mov al, 7
                (byte) 0xE6, 0x10,  // out 0x10, al   (ioeventfd: no exit)
                (byte) 0xE6, 0x12,  // out 0x12, al   (ordinary exit)
                (byte) 0xF4,        // hlt
        };
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmVmFeaturesTest.ioeventfd");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, code, false);
             Arena arena = Arena.ofConfined()) {
            skipUnless(kvm, Kvm_h.KVM_CAP_IOEVENTFD, "ioeventfd");
            int efd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
            assertTrue(efd >= 0);
            try {
                g.vm.ioeventfd(efd, 0x10, 1, Kvm_h.KVM_IOEVENTFD_FLAG_PIO, 0);
                int r = g.vcpu.run();
                assertEquals(Kvm_h.KVM_EXIT_IO, r, Kvm_h.exitReasonName(r));
                assertEquals(0x12, kvm_run.io_port(g.vcpu.kvmRun()), "the write to 0x10 must not exit");
                MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
                assertEquals(8, Libc.read(efd, counter, 8));
                assertEquals(1, counter.get(ValueLayout.JAVA_LONG, 0));
                g.vm.ioeventfd(efd, 0x10, 1, Kvm_h.KVM_IOEVENTFD_FLAG_PIO | Kvm_h.KVM_IOEVENTFD_FLAG_DEASSIGN, 0);
                KvmException twice = assertThrows(KvmException.class,
                        () -> g.vm.ioeventfd(efd, 0x10, 1, Kvm_h.KVM_IOEVENTFD_FLAG_PIO | Kvm_h.KVM_IOEVENTFD_FLAG_DEASSIGN, 0));
                assertEquals("KVM_IOEVENTFD", twice.operation());
            } finally {
                Libc.close(efd);
            }
        }
    }

    @Test
    void dirtyLogReportsThePageTheGuestWrote() {
        byte[] code = {
                (byte) 0xB0, 0x5A,                    // mov al, 0x5a
                (byte) 0xA2, 0x00, 0x30,              // mov [0x3000], al
                (byte) 0xF4,                          // hlt
        };
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmVmFeaturesTest.dirtyLog");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, code, false);
             Arena arena = Arena.ofConfined()) {
            g.vm.setUserMemoryRegion(0, Kvm_h.KVM_MEM_LOG_DIRTY_PAGES, 0, 64 * 1024, g.ram);
            MemorySegment bitmap = arena.allocate(8, 8);
            g.vm.getDirtyLog(0, bitmap); // reset whatever setup touched
            int r = g.vcpu.run();
            assertEquals(Kvm_h.KVM_EXIT_HLT, r, Kvm_h.exitReasonName(r));
            assertEquals(0x5A, g.ram.get(ValueLayout.JAVA_BYTE, 0x3000));
            g.vm.getDirtyLog(0, bitmap);
            long bits = bitmap.get(ValueLayout.JAVA_LONG, 0);
            assertTrue((bits & (1L << 3)) != 0, "page 3 dirty, bitmap " + Long.toBinaryString(bits));
            assertEquals(0, bits & (1L << 9), "page 9 untouched");
        }
    }

    @Test
    void interruptPlumbingAcceptsRoutesMsiIrqfdAndChipState() {
        byte[] code = {(byte) 0xFA, (byte) 0xF4}; // cli; hlt
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmVmFeaturesTest.interruptPlumbing");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, code, true);
             Arena arena = Arena.ofConfined()) {
            g.vm.createPit2();
            g.vm.setGsiRouting(List.of(
                    new IrqRoute.Irqchip(0, Kvm_h.KVM_IRQCHIP_IOAPIC, 2),
                    new IrqRoute.Irqchip(4, Kvm_h.KVM_IRQCHIP_PIC_MASTER, 4),
                    new IrqRoute.Irqchip(4, Kvm_h.KVM_IRQCHIP_IOAPIC, 4),
                    new IrqRoute.Msi(24, 0xFEE0_0000L, 0x31)));
            g.vm.irqLine(4, 1);
            g.vm.irqLine(4, 0);
            g.vm.signalMsi(0xFEE0_0000L, 0x30); // accepted (result: delivered count, 0 if blocked)
            int efd = Libc.eventfd(0, Libc.EFD_CLOEXEC);
            try {
                g.vm.irqfd(efd, 24);
                g.vm.irqfdDeassign(efd, 24);
            } finally {
                Libc.close(efd);
            }
            MemorySegment chip = kvm_irqchip.allocate(arena);
            kvm_irqchip.chip_id(chip, Kvm_h.KVM_IRQCHIP_IOAPIC);
            g.vm.getIrqchip(chip);
            assertEquals(0xFEC0_0000L, dev.partita.nativebindings.kvm.kvm_ioapic_state.base_address(kvm_irqchip.chip_ioapic(chip)));
            g.vm.setIrqchip(chip);
            MemorySegment pit = kvm_pit_state2.allocate(arena);
            g.vm.getPit2(pit);
            g.vm.setPit2(pit);
            ClockData clock = g.vm.getClock();
            g.vm.setClock(clock.clock() + 1_000_000);
            assertTrue(g.vm.getClock().clock() >= clock.clock());
        }
    }

    private static void skipUnless(Kvm kvm, int cap, String test) {
        boolean present = kvm.checkExtension(cap) > 0;
        if (!present) {
            System.out.println("SKIP KvmVmFeaturesTest." + test + ": " + Kvm_h.capName(cap) + " absent");
        }
        Assumptions.assumeTrue(present, Kvm_h.capName(cap) + " absent");
    }
}
