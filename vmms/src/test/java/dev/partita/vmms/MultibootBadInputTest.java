package dev.partita.vmms;

import static dev.partita.vmms.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code partita run --kernel} with multiboot kernels and the VM options: each gives one line
 * on stderr naming the problem and exit status 2, before any guest code runs (no backend needed).
 */
class MultibootBadInputTest {
    private static final long MAGIC = 0x1BAD_B002L;

    @TempDir
    Path dir;

    /** An ELF32 kernel at {@code paddr} whose first bytes are a multiboot header with {@code checksum}. */
    private Path kernel(String name, long paddr, long checksum) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt((int) MAGIC).putInt(3).putInt((int) checksum).put(new byte[] {(byte) 0xF4, (byte) 0xEB, (byte) 0xFD, (byte) 0x90});
        return Files.write(dir.resolve(name), RunCommandTest.elf32(paddr, h.array(), 0x1000));
    }

    private Path goodKernel() throws IOException {
        return kernel("good.elf", 0x100000, -(MAGIC + 3));
    }

    private static void assertOneLine(CommandLineRun r, String expected) {
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), "names the problem («" + expected + "»): " + r.err());
        assertEquals("", r.out(), "no guest output");
    }

    @Test
    void badChecksum() throws Exception {
        Path k = kernel("bad.elf", 0x100000, 0x12345678);
        assertOneLine(run("run", "--kernel", k.toString(), "--backend", "emulator"), "bad checksum");
    }

    @Test
    void loadAddressOutsideRam() throws Exception {
        Path k = kernel("high.elf", 0x8000000, -(MAGIC + 3)); // 128 MiB, with 64 MiB of RAM
        assertOneLine(run("run", "--kernel", k.toString(), "--memory", "64M", "--backend", "emulator"), "outside guest RAM");
    }

    @Test
    void modulesThatDoNotFit() throws Exception {
        Path big = Files.write(dir.resolve("big.bin"), new byte[5 << 20]);
        assertOneLine(run("run", "--kernel", goodKernel().toString(), "--initrd", big.toString(), "--initrd", big.toString(),
                "--memory", "8M", "--backend", "emulator"), "module 2 (" + big);
    }

    @Test
    void cpusOutOfRange() throws Exception {
        assertOneLine(run("run", "--kernel", goodKernel().toString(), "--cpus", "0", "--backend", "emulator"), "--cpus must be 1-16, got 0");
        assertOneLine(run("run", "--kernel", goodKernel().toString(), "--cpus", "17", "--backend", "emulator"),
                "--cpus must be 1-16, got 17");
    }

    @Test
    void memoryThatCannotBePlaced() throws Exception {
        CommandLineRun r = run("run", "--kernel", goodKernel().toString(), "--memory", "65G", "--backend", "emulator");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("memory size '65G' is more than 64G"), r.err());
    }

    @Test
    void linuxOnlyAndMultibootOnlyOptionsAreNotMixed() throws Exception {
        assertOneLine(run("run", "--kernel", goodKernel().toString(), "--vmbus", "--backend", "emulator"),
                "--vmbus and --disk are for Linux kernels");
    }
}
