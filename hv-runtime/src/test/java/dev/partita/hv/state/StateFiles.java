package dev.partita.hv.state;

import dev.partita.hv.memory.GuestMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds small state files for the format tests and finds the byte offsets where their parts begin. */
final class StateFiles {
    static final long MEMORY = 256 * 1024;
    static final int CPUS = 2;

    private StateFiles() {
    }

    static StateFileHeader header(List<String> devices) {
        List<String> names = new ArrayList<>(devices);
        names.add("memory");
        return new StateFileHeader(StateFileHeader.FORMAT_VERSION, "test", MEMORY, CPUS, names);
    }

    /** A memory of {@link #MEMORY} bytes with every third page filled with pseudo-random bytes (seed {@code seed}). */
    static GuestMemory memory(long seed) {
        GuestMemory m = GuestMemory.allocate(MEMORY);
        SplittableRandom rng = new SplittableRandom(seed);
        for (long p = 0; p < MEMORY / GuestMemory.PAGE_SIZE; p += 3) {
            byte[] page = new byte[(int) GuestMemory.PAGE_SIZE];
            rng.nextBytes(page);
            m.write(p * GuestMemory.PAGE_SIZE, page);
        }
        return m;
    }

    /** Writes a file with sections {@code payloads} (name → payload, version 1) and {@code memory}. */
    static Path write(Path file, Map<String, byte[]> payloads, GuestMemory memory) throws IOException {
        try (StateFileWriter w = StateFileWriter.create(file, header(List.copyOf(payloads.keySet())))) {
            for (Map.Entry<String, byte[]> e : payloads.entrySet()) {
                w.section(e.getKey(), 1, e.getValue());
            }
            w.memory(memory, StateProgress.NONE);
            w.commit();
        }
        return file;
    }

    /** Offsets where the header ends and each section and the trailer begin, read off the layout. */
    static List<Long> boundaries(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> at = new ArrayList<>();
        int bodyLength = b.getInt(12);
        int pos = 16 + bodyLength + 4;
        int count = b.getInt(16 + 12 + 2 + (b.getShort(16 + 12) & 0xFFFF));
        for (int i = 0; i < count; i++) {
            at.add((long) pos);
            int n = b.getShort(pos) & 0xFFFF;
            long length = b.getLong(pos + 2 + n + 4);
            pos += 2 + n + 4 + 8 + 4 + (int) length + 4;
        }
        at.add((long) pos);
        return at;
    }
}
