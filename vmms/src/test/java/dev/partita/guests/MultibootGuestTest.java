package dev.partita.guests;

import dev.partita.vmms.CommandLineRun;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * guests/multiboot (a gcc-built multiboot v1 kernel) through {@code partita run --kernel} on each backend:
 * it reads the command line, memory map and two modules the loader hands over, prints them through COM1,
 * writes and reads back a pattern at the top of RAM, and ends the run through {@code --isa-debug-exit}
 * with the value its command line names; the run's exit status is {@code (value << 1) | 1}.
 */
class MultibootGuestTest {
    static final List<BackendUnderTest> BACKENDS = BackendUnderTest.ALL;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @FieldSource("BACKENDS")
    void multibootKernelSeesItsBootInformationAndChoosesTheExitStatus(BackendUnderTest backend) throws Exception {
        backend.assumeUsable();
        Path kernel = GuestImages.image("multiboot.elf");
        Path text = Files.writeString(dir.resolve("one.txt"), "hello module\n");
        byte[] second = new byte[10_000];
        for (int i = 0; i < second.length; i++) {
            second[i] = (byte) (i * 7);
        }
        Path bin = Files.write(dir.resolve("two.bin"), second);
        CommandLineRun r = CommandLineRun.run("run", "--kernel", kernel.toString(), "--cmdline", "exit=21 mode=test",
                "--initrd", text.toString(), "--initrd", bin.toString(), "--memory", "64M", "--isa-debug-exit",
                "--backend", backend.name(), "--timeout", "120s");
        List<String> lines = r.out().replace("\r", "").lines().toList();
        assertEquals(43, r.exit(), "(21 << 1) | 1: " + r.err() + "\n" + r.out());
        assertEquals(List.of(
                "mb: magic 2badb002 flags 24d",
                "mb: cmdline " + kernel + " exit=21 mode=test",
                "mb: mem lower 639 upper " + (63 * 1024),
                "mb: mmap 0 9fc00 1",
                "mb: mmap 9fc00 400 2",
                "mb: mmap f0000 10000 2",
                "mb: mmap 100000 3f00000 1",
                "mb: mmap fec00000 1000 2",
                "mb: mmap fee00000 1000 2",
                "mb: module 0 " + text + " size 13 sum " + Long.toHexString(sum("hello module\n".getBytes())),
                "mb: module 1 " + bin + " size 10000 sum " + Long.toHexString(sum(second)),
                "mb: high-ram ok",
                "mb: exit 21"), lines, r.err());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("BACKENDS")
    void exitValueZeroGivesStatusOne(BackendUnderTest backend) {
        backend.assumeUsable();
        CommandLineRun r = CommandLineRun.run("run", "--kernel", GuestImages.image("multiboot.elf").toString(), "--memory", "8M",
                "--isa-debug-exit", "--backend", backend.name(), "--timeout", "120s");
        assertEquals(1, r.exit(), r.err() + "\n" + r.out());
        assertTrue(r.out().contains("mb: exit 0"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("BACKENDS")
    void memoryAbove4GiBIsInTheMapAndHoldsWhatIsWritten(BackendUnderTest backend) {
        backend.assumeUsable();
        // KVM on a PVM host cannot run 32-bit paging: there the guest reads the map but does not page above 4 GiB.
        boolean paging = !("kvm".equals(backend.name()) && PvmKnownFailures.isPvmHost());
        if (!paging) {
            System.out.println("SKIP MultibootGuestTest.memoryAbove4GiB[kvm] pattern above 4 GiB: PVM host has no 32-bit "
                    + "paging; the memory map is still checked");
        }
        CommandLineRun r = CommandLineRun.run("run", "--kernel", GuestImages.image("multiboot.elf").toString(), "--cmdline",
                paging ? "exit=6" : "exit=6 no-paging", "--memory", "6G", "--isa-debug-exit", "--backend", backend.name(),
                "--timeout", "120s");
        List<String> lines = r.out().replace("\r", "").lines().toList();
        assertEquals(13, r.exit(), r.err() + "\n" + r.out());
        assertTrue(lines.contains("mb: mem lower 639 upper " + ((0xD000_0000L - 0x100000) / 1024)), r.out());
        assertTrue(lines.contains("mb: mmap 100000 cff00000 1"), "RAM below the MMIO hole: " + r.out());
        assertTrue(lines.contains("mb: mmap 100000000 b0000000 1"), "the other 2.75 GiB from 4 GiB: " + r.out());
        assertTrue(lines.contains("mb: high-ram ok"), r.out());
        assertEquals(paging, lines.contains("mb: above-4g 100000000 ok"), r.out());
    }

    private static long sum(byte[] b) {
        long s = 0;
        for (byte x : b) {
            s += x & 0xFF;
        }
        return s & 0xFFFF_FFFFL;
    }
}
