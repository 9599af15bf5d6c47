package dev.partita.hv.kvm.sys;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_run;
import dev.partita.nativebindings.libc.Libc;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The descriptor owners against the real /dev/kvm (skipped when it cannot be opened). */
class KvmOwnersTest {

    private static final byte[] OUT_42_TO_PORT_10 = {
            (byte) 0xB0, 0x42,       // mov al, 0x42
            (byte) 0xE6, 0x10,       // out 0x10, al
            (byte) 0xF4,             // hlt
    };

    @Test
    void systemQueries() {
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmOwnersTest.systemQueries")) {
            assertEquals(12, kvm.apiVersion());
            assertTrue(kvm.checkExtension(Kvm_h.KVM_CAP_USER_MEMORY) > 0);
            assertTrue(kvm.vcpuMmapSize() >= kvm_run.sizeof());
            List<CpuidEntry> cpuid = kvm.supportedCpuid();
            assertTrue(cpuid.stream().anyMatch(e -> e.leaf() == 0), "leaf 0 is always supported");
            assertTrue(cpuid.stream().anyMatch(e -> e.leaf() == 0x80000000), "extended leaves are offered");
            int[] msrs = kvm.msrIndexList();
            assertTrue(msrs.length > 10, "MSR index list has " + msrs.length + " entries");
            assertTrue(java.util.Arrays.stream(msrs).anyMatch(m -> m == 0x10), "IA32_TSC is listed");
        }
    }

    @Test
    void realModeGuestExitsWithPortWrite() {
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmOwnersTest.realModeGuestExitsWithPortWrite");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, OUT_42_TO_PORT_10, false)) {
            int reason = g.vcpu.run();
            assertEquals(Kvm_h.KVM_EXIT_IO, reason, Kvm_h.exitReasonName(reason));
            MemorySegment run = g.vcpu.kvmRun();
            assertEquals(Kvm_h.KVM_EXIT_IO_OUT, kvm_run.io_direction(run));
            assertEquals(0x10, kvm_run.io_port(run) & 0xFFFF);
            assertEquals(1, kvm_run.io_size(run));
            assertEquals(1, kvm_run.io_count(run));
            MemorySegment data = g.vcpu.ioData();
            assertEquals(1, data.byteSize());
            assertEquals(0x42, data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            int next = g.vcpu.run();
            assertEquals(Kvm_h.KVM_EXIT_HLT, next, Kvm_h.exitReasonName(next));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment regs = kvm_regs.allocate(arena);
                g.vcpu.getRegs(regs);
                assertEquals(0x1005, kvm_regs.rip(regs), "rip after hlt");
                assertEquals(0x42, kvm_regs.rax(regs) & 0xFF);
            }
        }
    }

    @Test
    void overlappingSlotFailsWithOperationAndErrno() {
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmOwnersTest.overlappingSlotFailsWithOperationAndErrno");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, OUT_42_TO_PORT_10, false)) {
            KvmException e = assertThrows(KvmException.class,
                    () -> g.vm.setUserMemoryRegion(1, 0, 0, 64 * 1024, g.ram));
            assertEquals("KVM_SET_USER_MEMORY_REGION", e.operation());
            assertEquals(Libc.EEXIST, e.errno());
            assertEquals("KVM_SET_USER_MEMORY_REGION failed: EEXIST (17)", e.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> g.vm.setUserMemoryRegion(2, 0, 0x100000, 0x3000, g.ram.asSlice(0, 0x1000)));
            assertTrue(bad.getMessage().startsWith("KVM_SET_USER_MEMORY_REGION"));
            KvmException unknownMsr = assertThrows(KvmException.class, () -> g.vcpu.getMsrs(0x10, 0x7fff_0000));
            assertEquals("KVM_GET_MSRS", unknownMsr.operation());
            assertTrue(unknownMsr.getMessage().contains("0x7fff0000"), unknownMsr.getMessage());
        }
    }

    @Test
    void registersAndMsrsRoundTrip() {
        try (Kvm kvm = KvmAvailability.openOrSkip("KvmOwnersTest.registersAndMsrsRoundTrip");
             TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, OUT_42_TO_PORT_10, false);
             Arena arena = Arena.ofConfined()) {
            MemorySegment regs = kvm_regs.allocate(arena);
            g.vcpu.getRegs(regs);
            kvm_regs.rbx(regs, 0x1122_3344_5566_7788L);
            g.vcpu.setRegs(regs);
            MemorySegment back = kvm_regs.allocate(arena);
            g.vcpu.getRegs(back);
            assertEquals(0x1122_3344_5566_7788L, kvm_regs.rbx(back));
            int sysenterCs = 0x174;
            g.vcpu.setMsrs(new int[] {sysenterCs}, new long[] {0x23});
            assertArrayEquals(new long[] {0x23}, g.vcpu.getMsrs(sysenterCs));
            assertThrows(IllegalArgumentException.class, () -> g.vcpu.getRegs(arena.allocate(16)));
            int mp = g.vcpu.getMpState();
            assertEquals(Kvm_h.KVM_MP_STATE_RUNNABLE, mp);
        }
    }

    @Test
    void closingTwiceIsSafeAndUseAfterCloseIsRefused() {
        Kvm kvm = KvmAvailability.openOrSkip("KvmOwnersTest.closingTwiceIsSafeAndUseAfterCloseIsRefused");
        TinyGuest g = TinyGuest.realMode(kvm, 64 * 1024, 0x1000, OUT_42_TO_PORT_10, false);
        KvmVcpu vcpu = g.vcpu;
        g.close();
        vcpu.close();
        g.vm.close();
        vcpu.kick(); // no-op after close
        assertThrows(IllegalStateException.class, vcpu::fd);
        assertThrows(IllegalStateException.class, vcpu::run);
        assertThrows(IllegalStateException.class, () -> kvm_run.exit_reason(vcpu.kvmRun()), "kvm_run unmapped");
        assertThrows(IllegalStateException.class, () -> g.vm.createVcpu(1));
        kvm.close();
        kvm.close();
        assertThrows(IllegalStateException.class, kvm::apiVersion);
    }
}
