package dev.partita.guests;

import dev.partita.hv.PartitionResult;
import dev.partita.hv.bus.PortIoDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exit-loop guest honours the iteration count patched at image offset 8 (the contract the
 * {@code ci/bench exits} harness relies on): with N = 1234 exactly 1234 OUTs reach port 0x80, then it exits 0.
 */
class ExitLoopGuestTest {
    static final List<BackendUnderTest> backends = BackendUnderTest.ALL;

    @ParameterizedTest(name = "on {0}")
    @FieldSource("backends")
    void patchedCountIsTheNumberOfPortWrites(BackendUnderTest backend) throws IOException {
        backend.assumeUsable();
        byte[] image = Files.readAllBytes(GuestImages.image("exit-loop.bin"));
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1234);
        Path patched = Files.createTempFile("exit-loop-1234", ".bin");
        try {
            Files.write(patched, image);
            AtomicLong writes = new AtomicLong();
            PortIoDevice counter = new PortIoDevice() {
                public int read(int offset, int size) {
                    return 0xFF;
                }

                public void write(int offset, int size, int value) {
                    writes.incrementAndGet();
                }
            };
            GuestOutcome o = GuestRunner.run(patched.toString(), backend, Duration.ofSeconds(60),
                    p -> p.ioBus().register(0x80, 1, counter, "out-counter"));
            assertEquals(new PartitionResult.Exited(0), o.result(), o.describe());
            assertEquals(1234, writes.get(), o.describe());
        } finally {
            Files.deleteIfExists(patched);
        }
    }
}
