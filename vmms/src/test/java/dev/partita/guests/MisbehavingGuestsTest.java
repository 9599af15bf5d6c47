package dev.partita.guests;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The negative guests of {@code guests/} on every backend: each misbehaviour must end only its own
 * partition, with a clear result: a triple fault reported as such, a spinning guest stopped by the
 * timeout, an exit-flooding guest stopped by the timeout while another partition in the same process
 * runs to completion, and an access to unmapped guest-physical memory reading all ones.
 */
class MisbehavingGuestsTest {
    static final java.util.List<BackendUnderTest> backends = BackendUnderTest.ALL;

    @ParameterizedTest(name = "on {0}")
    @FieldSource("backends")
    void tripleFaultIsReportedAsATripleFault(BackendUnderTest backend) {
        backend.assumeUsable();
        GuestOutcome o = GuestRunner.run("triple-fault.elf", backend, Duration.ofSeconds(60));
        PartitionResult.TripleFault tf = assertInstanceOf(PartitionResult.TripleFault.class, o.result(), o.describe());
        assertEquals(125, tf.exitStatus());
        assertTrue(tf.report().startsWith("triple fault"), tf.report());
        assertTrue(o.console().contains("triple-fault guest: empty IDT, then #DE"), o.describe());
    }

    @ParameterizedTest(name = "on {0}")
    @FieldSource("backends")
    void spinningGuestIsStoppedByTheTimeout(BackendUnderTest backend) {
        backend.assumeUsable();
        Duration timeout = Duration.ofSeconds(3);
        GuestOutcome o = GuestRunner.run("loop-forever.bin", backend, timeout);
        assertEquals(new PartitionResult.TimedOut(timeout), o.result(), o.describe());
        assertEquals(124, o.result().exitStatus());
        assertTrue(o.console().contains("loop-forever guest"), o.describe());
    }

    @ParameterizedTest(name = "on {0}")
    @FieldSource("backends")
    void exitFloodIsStoppedByTheTimeoutWhileAnotherPartitionCompletes(BackendUnderTest backend) {
        backend.assumeUsable();
        CapturingConsoleSink floodConsole = new CapturingConsoleSink(4096);
        PartitionConfig config = PartitionConfig.defaults("guest-exit-flood").withBackend(backend.name());
        try (Partition flood = Hypervisor.get().createPartition(config)) {
            GuestRunner.prepare(flood, "exit-flood.bin", floodConsole);
            flood.start();
            // While the flood runs on its own vCPU thread, a second partition of the same process must work.
            GuestOutcome other = GuestRunner.run("exit-loop.bin", backend, Duration.ofSeconds(120));
            assertEquals(new PartitionResult.Exited(0), other.result(), other.describe());
            assertFalse(flood.hasEnded(), () -> "the flooding partition ended by itself: " + flood.result().report());

            Duration timeout = Duration.ofSeconds(1);
            PartitionResult r = flood.awaitExit(timeout);
            assertEquals(new PartitionResult.TimedOut(timeout), r, r.report() + "\n" + floodConsole.text());
            assertTrue(floodConsole.text().contains("exit-flood guest"), floodConsole.text());
            assertTrue(flood.ioBus().unclaimedPorts() >= 1, "the flood's OUTs to port 0x2F0 never reached the I/O bus");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @FieldSource("backends")
    void unmappedMemoryReadsAllOnesAndDropsWrites(BackendUnderTest backend) {
        backend.assumeUsable();
        GuestOutcome o = GuestRunner.run("unmapped-memory.elf", backend, Duration.ofSeconds(60));
        assertEquals(new PartitionResult.Exited(0), o.result(), o.describe());   // 0 = both reads all ones
        assertTrue(o.console().contains("read 0xffffffff\nread after write 0xffffffff"), o.describe());
    }
}
