package dev.partita.hv.hyperv;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end on KVM: a hand-assembled 64-bit guest (CPL0) sets GUEST_OS_ID, enables the hypercall
 * page with WRMSR (so the MSRs reach user space through the MSR filter), enables its local APIC
 * and SynIC (SIMP, SIEFP, SINT2 = 0xF3) after recording the CPUID leaves it sees, then calls HvPostMessage and HvSignalEvent through the
 * page Partita wrote (the OUT-to-port trap). The connection handler answers by posting a message
 * and setting an event flag back; the guest's interrupt handler for vector 0xF3 records the slot
 * and the flags, EOIs and exits. Assembled with GNU as; each line carries its source.
 *
 * <pre>
 * 0x1000 PML4, 0x2000 PDPT, 0x3000 PD (0-2 MiB), 0xC000 PD (3-4 GiB, maps the APIC page),
 * 0x4000 GDT, 0x5000 TSS, 0x6000 hypercall page, 0x7000 PostMessage input, 0x8000 results,
 * 0x9000 stack top, 0xA000 SIMP, 0xB000 SIEFP, 0xD000 IDT, 0x10000 code, 0x11000 ISR
 * </pre>
 */
class HyperVOnKvmTest {
    private static final long PML4 = 0x1000, PDPT = 0x2000, PD0 = 0x3000, PD3 = 0xC000, GDT = 0x4000, TSS = 0x5000;
    private static final long INPUT = 0x7000, RESULTS = 0x8000, STACK = 0x9000, SIMP = 0xA000, SIEFP = 0xB000, IDT = 0xD000;
    private static final long CODE = 0x10000, ISR = 0x11000;
    private static final int CONNECTION = 7, VECTOR = 0xF3;

    private static final int[] GUEST = {
            0xb8, 0x00, 0x00, 0x00, 0x40, // mov $0x40000000,%eax
            0x31, 0xc9, // xor %ecx,%ecx
            0x0f, 0xa2, // cpuid
            0x89, 0x04, 0x25, 0x40, 0x80, 0x00, 0x00, // mov %eax,0x8040
            0x89, 0x1c, 0x25, 0x44, 0x80, 0x00, 0x00, // mov %ebx,0x8044
            0x89, 0x0c, 0x25, 0x48, 0x80, 0x00, 0x00, // mov %ecx,0x8048
            0x89, 0x14, 0x25, 0x4c, 0x80, 0x00, 0x00, // mov %edx,0x804c
            0xb8, 0x03, 0x00, 0x00, 0x40, // mov $0x40000003,%eax
            0x0f, 0xa2, // cpuid
            0x89, 0x04, 0x25, 0x50, 0x80, 0x00, 0x00, // mov %eax,0x8050
            0x89, 0x1c, 0x25, 0x54, 0x80, 0x00, 0x00, // mov %ebx,0x8054
            0xb8, 0x04, 0x00, 0x00, 0x40, // mov $0x40000004,%eax
            0x0f, 0xa2, // cpuid
            0x89, 0x04, 0x25, 0x58, 0x80, 0x00, 0x00, // mov %eax,0x8058
            0xb8, 0x01, 0x00, 0x00, 0x00, // mov $0x1,%eax
            0x0f, 0xa2, // cpuid
            0x89, 0x0c, 0x25, 0x5c, 0x80, 0x00, 0x00, // mov %ecx,0x805c
            0xb9, 0x00, 0x00, 0x00, 0x40, // mov $0x40000000,%ecx
            0xb8, 0x01, 0x00, 0x00, 0x00, // mov $0x1,%eax
            0xba, 0x00, 0x00, 0x00, 0x81, // mov $0x81000000,%edx
            0x0f, 0x30, // wrmsr
            0xb9, 0x01, 0x00, 0x00, 0x40, // mov $0x40000001,%ecx
            0xb8, 0x01, 0x60, 0x00, 0x00, // mov $0x6001,%eax
            0x31, 0xd2, // xor %edx,%edx
            0x0f, 0x30, // wrmsr
            0x0f, 0x32, // rdmsr
            0xa8, 0x01, // test $0x1,%al
            0x0f, 0x84, 0xa3, 0x00, 0x00, 0x00, // je 122 <fail1>
            0xbf, 0xf0, 0x00, 0xe0, 0xfe, // mov $0xfee000f0,%edi
            0xc7, 0x07, 0xff, 0x01, 0x00, 0x00, // movl $0x1ff,(%rdi)
            0xb9, 0x80, 0x00, 0x00, 0x40, // mov $0x40000080,%ecx
            0xb8, 0x01, 0x00, 0x00, 0x00, // mov $0x1,%eax
            0x31, 0xd2, // xor %edx,%edx
            0x0f, 0x30, // wrmsr
            0xb9, 0x83, 0x00, 0x00, 0x40, // mov $0x40000083,%ecx
            0xb8, 0x01, 0xa0, 0x00, 0x00, // mov $0xa001,%eax
            0x0f, 0x30, // wrmsr
            0xb9, 0x82, 0x00, 0x00, 0x40, // mov $0x40000082,%ecx
            0xb8, 0x01, 0xb0, 0x00, 0x00, // mov $0xb001,%eax
            0x0f, 0x30, // wrmsr
            0xb9, 0x92, 0x00, 0x00, 0x40, // mov $0x40000092,%ecx
            0xb8, 0xf3, 0x00, 0x00, 0x00, // mov $0xf3,%eax
            0x0f, 0x30, // wrmsr
            0xb9, 0x02, 0x00, 0x00, 0x40, // mov $0x40000002,%ecx
            0x0f, 0x32, // rdmsr
            0x89, 0x04, 0x25, 0x38, 0x80, 0x00, 0x00, // mov %eax,0x8038
            0x48, 0xbb, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, // movabs $0x1122334455667788,%rbx
            0xb9, 0x5c, 0x00, 0x00, 0x00, // mov $0x5c,%ecx
            0xba, 0x00, 0x70, 0x00, 0x00, // mov $0x7000,%edx
            0x45, 0x31, 0xc0, // xor %r8d,%r8d
            0xb8, 0x00, 0x60, 0x00, 0x00, // mov $0x6000,%eax
            0xff, 0xd0, // call *%rax
            0x48, 0x89, 0x04, 0x25, 0x00, 0x80, 0x00, 0x00, // mov %rax,0x8000
            0x48, 0x89, 0x1c, 0x25, 0x08, 0x80, 0x00, 0x00, // mov %rbx,0x8008
            0x48, 0x89, 0x24, 0x25, 0x10, 0x80, 0x00, 0x00, // mov %rsp,0x8010
            0xb9, 0x5d, 0x00, 0x01, 0x00, // mov $0x1005d,%ecx
            0x48, 0xba, 0x07, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, // movabs $0x900000007,%rdx
            0xb8, 0x00, 0x60, 0x00, 0x00, // mov $0x6000,%eax
            0xff, 0xd0, // call *%rax
            0x48, 0x89, 0x04, 0x25, 0x18, 0x80, 0x00, 0x00, // mov %rax,0x8018
            0xfb, // sti
            // wait:
            0xf4, // hlt
            0xeb, 0xfd, // jmp 11f <wait>
            // fail1:
            0xb0, 0x01, // mov $0x1,%al
            0xe6, 0xf4, // out %al,$0xf4
            0xf4, // hlt
    };

    private static final int[] INTERRUPT_HANDLER = {
            0x48, 0x8b, 0x04, 0x25, 0x10, 0xa2, 0x00, 0x00, // mov 0xa210,%rax
            0x48, 0x89, 0x04, 0x25, 0x20, 0x80, 0x00, 0x00, // mov %rax,0x8020
            0x8b, 0x04, 0x25, 0x00, 0xa2, 0x00, 0x00, // mov 0xa200,%eax
            0x89, 0x04, 0x25, 0x28, 0x80, 0x00, 0x00, // mov %eax,0x8028
            0x48, 0x8b, 0x04, 0x25, 0x00, 0xb2, 0x00, 0x00, // mov 0xb200,%rax
            0x48, 0x89, 0x04, 0x25, 0x30, 0x80, 0x00, 0x00, // mov %rax,0x8030
            0xc7, 0x04, 0x25, 0x00, 0xa2, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // movl $0x0,0xa200
            0xbf, 0xb0, 0x00, 0xe0, 0xfe, // mov $0xfee000b0,%edi
            0xc7, 0x07, 0x00, 0x00, 0x00, 0x00, // movl $0x0,(%rdi)
            0x31, 0xc0, // xor %eax,%eax
            0xe6, 0xf4, // out %al,$0xf4
            0xf4, // hlt
    };

    /** A handler call seen by the host. */
    record Call(int vp, int connection, int typeOrFlag, String payload) {
    }

    @Test
    void guestEnablesThePageAndCallsThroughItOnKvm() {
        BackendAvailability a = Hypervisor.get().availability("kvm");
        if (!a.usable()) {
            System.out.println("SKIP Hyper-V on KVM: " + a.reason());
        }
        Assumptions.assumeTrue(a.usable(), a.reason());
        List<Call> calls = new CopyOnWriteArrayList<>();
        try (Partition p = Hypervisor.get().createPartition(PartitionConfig.defaults("hv-kvm").withMemory(2 << 20).withBackend("kvm"))) {
            DebugDevices.attach(p, b -> { });
            HyperV hv = HyperV.attach(p);
            hv.registerConnection(CONNECTION, new SynicConnectionHandler() {
                @Override
                public int onPostMessage(int vpIndex, int connectionId, int messageType, byte[] payload) {
                    String text = new String(payload, StandardCharsets.US_ASCII);
                    calls.add(new Call(vpIndex, connectionId, messageType, text));
                    hv.synic().postMessage(vpIndex, 2, 0x42, new StringBuilder(text).reverse().toString().getBytes(StandardCharsets.US_ASCII));
                    return HvStatus.SUCCESS;
                }

                @Override
                public int onSignalEvent(int vpIndex, int connectionId, int flagNumber) {
                    calls.add(new Call(vpIndex, connectionId, flagNumber, ""));
                    hv.synic().signalEvent(vpIndex, 2, 5);
                    return HvStatus.INVALID_PORT_ID; // any status: the guest must see exactly this one in RAX
                }
            });
            VpState boot = install(p);
            p.memory().writeU32(INPUT, CONNECTION);
            p.memory().writeU32(INPUT + 8, 1);
            p.memory().writeU32(INPUT + 12, 5);
            p.memory().write(INPUT + 16, "hello".getBytes(StandardCharsets.US_ASCII));
            p.processor(0).setState(boot);
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(120));
            assertEquals(new PartitionResult.Exited(0), r, r.report());

            assertEquals(List.of(new Call(0, CONNECTION, 1, "hello"), new Call(0, CONNECTION, 9, "")), calls);
            assertEquals(HvStatus.SUCCESS, p.memory().readU64(RESULTS), "PostMessage status in RAX");
            assertEquals(0x1122334455667788L, p.memory().readU64(RESULTS + 8), "RBX preserved across the page");
            assertEquals(STACK, p.memory().readU64(RESULTS + 0x10), "RSP back where it was (the page ends with ret)");
            assertEquals(HvStatus.INVALID_PORT_ID, p.memory().readU64(RESULTS + 0x18), "SignalEvent status in RAX");
            assertEquals("olleh", new String(p.memory().read(RESULTS + 0x20, 5), StandardCharsets.US_ASCII), "message the ISR found in its slot");
            assertEquals(0x42, p.memory().readU32(RESULTS + 0x28), "slot message type");
            assertEquals(1L << 5, p.memory().readU64(RESULTS + 0x30), "event flag 5 of SINT2");
            assertEquals(0, p.memory().readU32(RESULTS + 0x38), "VP_INDEX of the boot processor");
            assertArrayEquals(HypercallPage.PORT_TRAP.page(), p.memory().read(0x6000, 4096), "the page Partita wrote");
            assertEquals("Microsoft Hv", new String(p.memory().read(RESULTS + 0x44, 12), StandardCharsets.US_ASCII),
                    "CPUID 0x40000000 signature as the guest read it");
            long maxLeaf = p.memory().readU32(RESULTS + 0x40);
            assertTrue(maxLeaf >= 0x4000_0005L && maxLeaf <= 0x4000_FFFFL, "max leaf 0x" + Long.toHexString(maxLeaf));
            assertEquals(hv.cpuidLeaves().featuresEax(), p.memory().readU32(RESULTS + 0x50), "0x40000003.EAX (KVM: no TSC page, so no reference time bits)");
            assertEquals(HyperVCpuidLeaves.FEATURES_EBX, p.memory().readU32(RESULTS + 0x54), "0x40000003.EBX");
            assertEquals(hv.cpuidLeaves().hints(), p.memory().readU32(RESULTS + 0x58), "0x40000004.EAX (deprecating auto-EOI; on KVM also the IPI hints)");
            assertTrue((p.memory().readU32(RESULTS + 0x5C) & (1L << 31)) != 0, "CPUID.1:ECX hypervisor bit");
        }
    }

    private static byte[] bytes(int[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /** Page tables, GDT (kernel code64 0x08, data 0x10, TSS 0x18), TSS, IDT gate 0xF3, code; returns the long-mode CPL0 state. */
    private static VpState install(Partition p) {
        var m = p.memory();
        long table = 1 | 2; // present, writable
        m.writeU64(PML4, PDPT | table);
        m.writeU64(PDPT, PD0 | table);
        m.writeU64(PDPT + 3 * 8, PD3 | table);
        m.writeU64(PD0, table | 0x80);                                   // 0-2 MiB, 2 MiB page
        m.writeU64(PD3 + 8L * ((0xFEE0_0000L >>> 21) & 511), 0xFEE0_0000L | table | 0x10 | 0x80); // APIC page, uncached
        long[] gdt = {0, 0x00AF_9A00_0000_FFFFL, 0x00CF_9200_0000_FFFFL};
        for (int i = 0; i < gdt.length; i++) {
            m.writeU64(GDT + 8L * i, gdt[i]);
        }
        int tssLimit = 0x67;
        m.writeU64(GDT + 0x18, tssLimit | ((TSS & 0xFF_FFFF) << 16) | (0x89L << 40) | (((TSS >>> 24) & 0xFF) << 56));
        m.writeU64(GDT + 0x20, TSS >>> 32);
        long gateLow = (ISR & 0xFFFF) | (0x08L << 16) | (0x8EL << 40) | (((ISR >>> 16) & 0xFFFF) << 48); // 64-bit interrupt gate
        m.writeU64(IDT + 16L * VECTOR, gateLow);
        m.writeU64(IDT + 16L * VECTOR + 8, ISR >>> 32);
        m.write(CODE, bytes(GUEST));
        m.write(ISR, bytes(INTERRUPT_HANDLER));
        SegmentRegister code = new SegmentRegister(0x08, 0, 0xFFFF_FFFF,
                SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_CODE_XR_ACCESSED | SegmentRegister.L | SegmentRegister.G);
        SegmentRegister data = new SegmentRegister(0x10, 0, 0xFFFF_FFFF,
                SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_DATA_RW_ACCESSED | SegmentRegister.DB | SegmentRegister.G);
        return VpState.builder()
                .cs(code)
                .dataSegments(data)
                .tr(new SegmentRegister(0x18, TSS, tssLimit, SegmentRegister.P | SegmentRegister.TYPE_TSS_BUSY))
                .gdtr(new TableRegister(GDT, 0x27))
                .idtr(new TableRegister(IDT, 16 * 256 - 1))
                .cr0(0x8000_0000L | 0x10000 | 0x20 | 0x10 | 0x2 | 0x1) // PG WP NE ET MP PE
                .cr3(PML4)
                .cr4(0x20 | 0x200)                                     // PAE OSFXSR
                .efer(0x100 | 0x400)                                   // LME LMA
                .rflags(2)
                .rip(CODE)
                .gpr(Gpr.RSP, STACK)
                .build();
    }
}
