package dev.partita.hv.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceNodeTest {

    @Test
    void devNullIsCharacterDevice1Colon3() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")), "no /dev/null");
        DeviceNode n = DeviceNode.of(Path.of("/dev/null")).orElseThrow();
        assertEquals("char", n.kind());
        assertEquals(1, n.major());
        assertEquals(3, n.minor());
        assertTrue(n.mode().startsWith("crw-rw-rw-"), n.mode());
    }

    @Test
    void plainFileAndMissingPath(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        DeviceNode n = DeviceNode.of(f).orElseThrow();
        assertEquals("file", n.kind());
        assertEquals('-', n.mode().charAt(0));
        assertTrue(DeviceNode.of(dir.resolve("missing")).isEmpty());
    }
}
