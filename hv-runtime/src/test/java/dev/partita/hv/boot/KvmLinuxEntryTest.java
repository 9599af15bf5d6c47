package dev.partita.hv.boot;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.acpi.AcpiPlatform;
import dev.partita.hv.acpi.AcpiTableSet;
import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.spi.BackendAvailability;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On KVM, a synthetic bzImage whose startup_64 reports what it sees proves the 64-bit entry is reached
 * in long mode with RSI = a valid zero page: it writes RSI, boot_params fields and its own RIP to a
 * test port, then exits through port 0xF4.
 */
class KvmLinuxEntryTest {
    private static final int REPORT_PORT = 0x500;
    private static final int LEA_RIP_END = 42; // offset of the instruction after "lea rax, [rip]"

    private static byte[] startup64() {
        int[] code = {
            0x89, 0xF0,                               // mov eax, esi
            0x66, 0xBA, 0x00, 0x05,                   // mov dx, 0x500
            0xEF,                                     // out dx, eax           (1) RSI
            0x8B, 0x86, 0x02, 0x02, 0x00, 0x00,       // mov eax, [rsi+0x202]
            0xEF,                                     //                        (2) "HdrS"
            0x0F, 0xB6, 0x86, 0xE8, 0x01, 0x00, 0x00, // movzx eax, byte [rsi+0x1e8]
            0xEF,                                     //                        (3) e820_entries
            0x8B, 0x86, 0x28, 0x02, 0x00, 0x00,       // mov eax, [rsi+0x228]
            0xEF,                                     //                        (4) cmd_line_ptr
            0x89, 0xC1,                               // mov ecx, eax
            0x0F, 0xB6, 0x01,                         // movzx eax, byte [rcx]
            0xEF,                                     //                        (5) first command-line byte
            0x48, 0x8D, 0x05, 0x00, 0x00, 0x00, 0x00, // lea rax, [rip+0]
            0xEF,                                     //                        (6) RIP: proves 64-bit execution at the entry
            0x8C, 0xC8,                               // mov eax, cs
            0xEF,                                     //                        (7) CS selector
            0x8B, 0x86, 0x70, 0x00, 0x00, 0x00,       // mov eax, [rsi+0x70]
            0xEF,                                     //                        (8) acpi_rsdp_addr
            0x66, 0xBA, 0xF4, 0x00,                   // mov dx, 0xf4
            0x31, 0xC0,                               // xor eax, eax
            0xEF,                                     // out dx, eax: exit 0
            0xF4,                                     // hlt
        };
        byte[] b = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = (byte) code[i];
        }
        return b;
    }

    private static void assumeKvm() {
        BackendAvailability a = Hypervisor.get().availability("kvm");
        if (!a.usable()) {
            System.out.println("SKIP KvmLinuxEntryTest: " + a.reason());
        }
        Assumptions.assumeTrue(a.usable(), a.reason());
    }

    @Test
    void pvhEntryIsReachedInProtectedModeWithStartInfoInEbx() throws Exception {
        assumeKvm();
        byte[] code = {
            (byte) 0x89, (byte) 0xD8,                         // mov eax, ebx
            0x66, (byte) 0xBA, 0x00, 0x05,                    // mov dx, 0x500
            (byte) 0xEF,                                      // out dx, eax     (1) EBX
            (byte) 0x8B, 0x03,                                // mov eax, [ebx]
            (byte) 0xEF,                                      //                 (2) magic
            (byte) 0x8B, 0x43, 0x30,                          // mov eax, [ebx+0x30]
            (byte) 0xEF,                                      //                 (3) memmap_entries
            0x66, (byte) 0xBA, (byte) 0xF4, 0x00,             // mov dx, 0xf4
            0x31, (byte) 0xC0, (byte) 0xEF, (byte) 0xF4};     // xor eax,eax; out dx,eax; hlt
        LinuxKernel kernel = LinuxKernel.parse(SyntheticKernels.pvhElf(0x100000, code, 0x100000, true));
        List<Integer> reports = new CopyOnWriteArrayList<>();
        try (Partition p = Hypervisor.get().createPartition(
                PartitionConfig.defaults("pvh-entry").withMemory(32L << 20).withBackend("kvm"))) {
            BootedKernel k = LinuxBootLoader.load(p.memory(), new LinuxBootRequest(kernel, null, "console=ttyS0", null));
            DebugDevices.attach(p, new CapturingConsoleSink());
            p.ioBus().register(REPORT_PORT, 4, new PortIoDevice() {
                @Override
                public int read(int offset, int size) {
                    return 0;
                }

                @Override
                public void write(int offset, int size, int value) {
                    reports.add(value);
                }
            }, "report");
            p.processor(0).setState(k.bootState());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(120));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
            assertEquals(List.of((int) BootLayout.PVH_START_INFO, (int) PvhStartInfo.MAGIC, 7), reports);
        }
    }

    @Test
    void startup64IsReachedInLongModeWithBootParamsInRsi() throws Exception {
        assumeKvm();

        LinuxKernel kernel = LinuxKernel.parse(SyntheticKernels.bzImage(startup64(), 0x1000));
        List<Integer> reports = new CopyOnWriteArrayList<>();
        try (Partition p = Hypervisor.get().createPartition(
                PartitionConfig.defaults("linux-entry").withMemory(32L << 20).withBackend("kvm"))) {
            BootedKernel k = LinuxBootLoader.load(p.memory(), new LinuxBootRequest(kernel, new byte[4096],
                    "console=ttyS0", AcpiTableSet.build(new AcpiPlatform(1, false), BootLayout.ACPI_BASE)));
            DebugDevices.attach(p, new CapturingConsoleSink());
            p.ioBus().register(REPORT_PORT, 4, new PortIoDevice() {
                @Override
                public int read(int offset, int size) {
                    return 0;
                }

                @Override
                public void write(int offset, int size, int value) {
                    reports.add(value);
                }
            }, "report");
            p.processor(0).setState(k.bootState());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(120));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
            long entry = SyntheticKernels.PREF_ADDRESS + 0x200;
            assertEquals(List.of((int) BootLayout.ZERO_PAGE, 0x53726448, 7, (int) BootLayout.CMDLINE, (int) 'c',
                    (int) (entry + LEA_RIP_END), LongModeEntry.BOOT_CS, (int) BootLayout.ACPI_BASE), reports);
        }
    }
}
