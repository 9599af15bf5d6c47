package dev.partita.hv.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Machine code of the exit-loop guest used when no prebuilt guest is given: real mode at 0x7C00,
 * {@code OUT port, AL} repeated {@code iterations} times, then exit code 0 through port 0xF4.
 */
final class OutLoopGuest {
    static final int DEFAULT_PORT = 0x80;

    private OutLoopGuest() {}

    static byte[] realMode(int port, int iterations) {
        if (port < 0 || port > 0xFF || port == 0xE9 || port == 0xF4) {
            throw new IllegalArgumentException("loop port must be an 8-bit port other than 0xE9/0xF4: " + port);
        }
        if (iterations < 2) {
            throw new IllegalArgumentException("need at least 2 iterations");
        }
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x66).put((byte) 0xB9).putInt(iterations); // 0:  mov ecx, iterations
        b.put((byte) 0xE6).put((byte) port);                     // 6:  out port, al
        b.put((byte) 0x66).put((byte) 0x49);                     // 8:  dec ecx
        b.put((byte) 0x75).put((byte) 0xFA);                     // 10: jnz 6
        b.put((byte) 0xB0).put((byte) 0x00);                     // 12: mov al, 0
        b.put((byte) 0xE6).put((byte) 0xF4);                     // 14: out 0xf4, al
        b.put((byte) 0xF4);                                      // 16: hlt
        b.put((byte) 0xEB).put((byte) 0xFD);                     // 17: jmp 16
        b.put((byte) 0x90);
        return b.array();
    }

    /**
     * For a prebuilt guest with an iteration field (magic "NITR" at offset 4, little-endian u32 count
     * at offset 8, as guests/build/exit-loop.bin has): a temporary copy with the count replaced.
     * Other images are returned unchanged.
     */
    static Path withIterations(Path image, int iterations) throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        if (bytes.length < 12 || bytes[4] != 'N' || bytes[5] != 'I' || bytes[6] != 'T' || bytes[7] != 'R') {
            return image;
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, iterations);
        Path copy = Files.createTempFile("partita-exit-loop", ".bin");
        copy.toFile().deleteOnExit();
        Files.write(copy, bytes);
        return copy;
    }
}
