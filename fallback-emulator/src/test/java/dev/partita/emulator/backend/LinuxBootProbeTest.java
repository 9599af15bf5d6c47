package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.acpi.AcpiPlatform;
import dev.partita.hv.acpi.AcpiTableSet;
import dev.partita.hv.acpi.AcpiTables;
import dev.partita.hv.boot.BootLayout;
import dev.partita.hv.boot.BootedKernel;
import dev.partita.hv.boot.BzImage;
import dev.partita.hv.boot.LinuxBootLoader;
import dev.partita.hv.boot.LinuxBootRequest;
import dev.partita.hv.bus.PortIoDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * OPT-IN probe: boots a Linux bzImage ({@code -Dpartita.linux.kernel=PATH}, e.g. Debian's 6.1 cloud
 * kernel) on the emulator with {@code earlyprintk=serial console=ttyS0}, captures what the kernel
 * writes to COM1's data register, and prints it with the final state after
 * {@code -Dpartita.linux.seconds} (default 20); {@code -Dpartita.linux.cmdline} replaces the options after
 * the console ones (default {@code noapic nolapic acpi=off panic=-1}); {@code -Dpartita.linux.acpi=true}
 * adds hv-runtime's ACPI tables; {@code -Dpartita.linux.cpus=N} sets the vCPU count;
 * {@code -Dpartita.linux.initrd=PATH} passes an initramfs. Passes when the kernel printed its banner and did
 * not stop with a triple fault or an emulator failure. Skipped (reason printed) without a kernel.
 */
class LinuxBootProbeTest {

    @Test
    void kernelBootsFarEnoughToPrint() throws Exception {
        String kernelPath = System.getProperty("partita.linux.kernel");
        if (kernelPath == null || !Files.isRegularFile(Path.of(kernelPath))) {
            String reason = "no Linux kernel given (-Dpartita.linux.kernel=PATH)";
            System.out.println("SKIP LinuxBootProbeTest: " + reason);
            Assumptions.abort(reason);
        }
        int seconds = Integer.getInteger("partita.linux.seconds", 20);
        StringBuffer console = new StringBuffer();
        PartitionConfig config = PartitionConfig.defaults("linux").withBackend(EmulatorBackend.NAME).withMemory(256L << 20)
                .withCpus(Integer.getInteger("partita.linux.cpus", 1));
        try (Partition p = Hypervisor.get().createPartition(config)) {
            p.ioBus().register(0x3F8, 8, new PortIoDevice() {
                @Override
                public int read(int offset, int size) {
                    return offset == 5 ? 0x60 : 0;     // LSR: transmitter empty
                }

                @Override
                public void write(int offset, int size, int value) {
                    if (offset == 0) {
                        console.append((char) (value & 0xFF));
                    }
                }
            }, "com1-capture");
            BzImage kernel = BzImage.parse(Files.readAllBytes(Path.of(kernelPath)));
            int cpus = Integer.getInteger("partita.linux.cpus", 1);
            AcpiTables acpi = Boolean.getBoolean("partita.linux.acpi")
                    ? AcpiTableSet.build(new AcpiPlatform(cpus, false), BootLayout.ACPI_BASE) : null;
            String initrdPath = System.getProperty("partita.linux.initrd");
            byte[] initrd = initrdPath == null ? null : Files.readAllBytes(Path.of(initrdPath));
            BootedKernel booted = LinuxBootLoader.load(p.memory(), new LinuxBootRequest(kernel, initrd,
                    "earlyprintk=serial,ttyS0,115200 console=ttyS0 "
                    + System.getProperty("partita.linux.cmdline", "noapic nolapic acpi=off panic=-1"), acpi));
            p.processor(0).setState(booted.bootState());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(seconds));
            String state;
            try {
                p.pause();
                state = p.processor(0).state().report();
            } catch (RuntimeException e) {
                state = "(state unavailable: " + e + ")";
            }
            System.out.println("---- console ----\n" + console + "\n---- result: " + r.report() + "\n---- state ----\n" + state);
            assertFalse(r instanceof PartitionResult.TripleFault || r instanceof PartitionResult.Failed, r.report());
            assertTrue(console.indexOf("Linux version") >= 0, "no kernel banner on COM1");
        }
    }
}
