package dev.partita.vmms.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.state.StateFileException;
import dev.partita.hv.state.StateProgress;
import dev.partita.vmms.CommandLineRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partita restore} refuses every unusable state file with exit status 2 and one line on
 * stderr naming the problem: missing, not a state file, truncated, corrupted, another format
 * version, a VM of another configuration.
 */
class RestoreCommandTest {
    @TempDir
    Path dir;

    /** A valid state file of a never-started 32 MiB, {@code cpus}-processor image VM on the emulator. */
    private Path saved(String name, int cpus) throws Exception {
        var emulator = Hypervisor.get().availability("emulator");
        if (!emulator.usable()) {
            System.out.println("SKIP RestoreCommandTest: " + emulator.reason());
        }
        Assumptions.assumeTrue(emulator.usable(), emulator.reason());
        Path file = dir.resolve(name);
        try (Partition p = Hypervisor.get().createPartition(PartitionConfig.defaults("restore-test").withBackend("emulator")
                .withCpus(cpus))) {
            p.memory().write(0x7C00, new byte[] {(byte) 0xF4}); // HLT
            SaveableVm.controller(p, SaveableVm.describe(VmDescription.IMAGE, p), DebugDevices.attach(p, b -> { }))
                    .save(file, StateProgress.NONE);
        }
        return file;
    }

    private static String refusal(Path file) {
        CommandLineRun r = CommandLineRun.run("restore", file.toString(), "--timeout", "5s");
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out());
        String line = r.err().lines().filter(l -> !l.startsWith("partita: restoring")).findFirst().orElse("");
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("partita: restoring")).count(), r.err());
        return line;
    }

    @Test
    void unusableFilesAreRefusedWithOneLine() throws Exception {
        Path good = saved("good.state", 1);
        byte[] bytes = Files.readAllBytes(good);

        assertTrue(refusal(dir.resolve("missing.state")).contains("does not exist"));
        Path text = Files.writeString(dir.resolve("text.state"), "hello, not a VM\n");
        assertTrue(refusal(text).contains("not a Partita state file"));

        Path truncated = Files.write(dir.resolve("truncated.state"), Arrays.copyOf(bytes, bytes.length - 5000));
        assertTrue(refusal(truncated).contains("truncated state file"), refusal(truncated));

        byte[] flipped = bytes.clone();
        flipped[flipped.length - 3000] ^= 1;
        Path corrupt = Files.write(dir.resolve("corrupt.state"), flipped);
        assertTrue(refusal(corrupt).contains("CRC-32C"), refusal(corrupt));

        byte[] version = bytes.clone();
        version[8] = 7;
        Path other = Files.write(dir.resolve("version.state"), version);
        assertTrue(refusal(other).contains("format version 7"), refusal(other));
    }

    @Test
    void aFileOfAnotherConfigurationIsRefusedByTheVmItIsLoadedInto() throws Exception {
        Path one = saved("one.state", 1);
        try (Partition p = Hypervisor.get().createPartition(PartitionConfig.defaults("two").withBackend("emulator").withCpus(2))) {
            var controller = SaveableVm.controller(p, SaveableVm.describe(VmDescription.IMAGE, p), DebugDevices.attach(p, b -> { }));
            StateFileException e = org.junit.jupiter.api.Assertions.assertThrows(StateFileException.class,
                    () -> controller.restore(one, StateProgress.NONE));
            assertEquals("state file one.state does not fit this VM: the file is from a VM with 1 vCPUs, this VM has 2",
                    e.getMessage());
        }
        CommandLineRun r = CommandLineRun.run("restore", one.toString(), "--timeout", "2s");
        assertEquals(124, r.exit(), "restore builds the VM the file describes, which runs until the timeout: " + r.err());
    }
}
