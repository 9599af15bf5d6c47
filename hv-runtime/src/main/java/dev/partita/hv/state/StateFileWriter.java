package dev.partita.hv.state;

import dev.partita.hv.memory.GuestMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a state file ({@link StateFileLayout}) section by section, in the order its header
 * declares. The file is written under a temporary name beside the target and renamed into place
 * by {@link #commit()}, so a crash or failure mid-save never leaves a partial file under the
 * target's name. Not thread-safe; one per save.
 */
public final class StateFileWriter implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final FileChannel out;
    private final StateFileHeader header;
    private int next;
    private boolean committed;

    private StateFileWriter(Path target, Path temporary, FileChannel out, StateFileHeader header) {
        this.target = target;
        this.temporary = temporary;
        this.out = out;
        this.header = header;
    }

    /** Starts {@code target} with {@code header}. */
    public static StateFileWriter create(Path target, StateFileHeader header) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".partial");
        FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        StateFileWriter w = new StateFileWriter(abs, tmp, ch, header);
        try {
            w.writeHeader();
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    private void writeHeader() throws IOException {
        byte[] backend = header.backend().getBytes(StandardCharsets.UTF_8);
        SectionWriter body = new SectionWriter().u64(header.memoryBytes()).u32(header.cpus())
                .u16(backend.length).raw(backend).u32(header.sections().size());
        for (String name : header.sections()) {
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            body.u16(n.length).raw(n);
        }
        byte[] bodyBytes = body.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(16 + bodyBytes.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(StateFileLayout.MAGIC).putInt(StateFileHeader.FORMAT_VERSION).putInt(bodyBytes.length).put(bodyBytes);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).flip();
        writeFully(b);
    }

    /** Writes the next section, which must be the one the header lists next. */
    public void section(String name, int version, byte[] payload) throws IOException {
        expect(name);
        CRC32C crc = new CRC32C();
        writeSectionHeader(name, version, payload.length);
        crc.update(payload);
        writeFully(ByteBuffer.wrap(payload));
        writeCrc(crc);
    }

    /** Writes the {@code memory} section from {@code memory} (see {@link MemoryImage}); returns the page bytes stored. */
    public long memory(GuestMemory memory, StateProgress progress) throws IOException {
        expect(StateFileLayout.MEMORY);
        MemoryImage image = MemoryImage.scan(memory);
        writeSectionHeader(StateFileLayout.MEMORY, 1, image.payloadLength());
        CRC32C crc = new CRC32C();
        image.write(out, crc, progress);
        writeCrc(crc);
        return image.storedBytes();
    }

    /** Writes the trailer, flushes the file to disk and renames it to the target name; returns its size. */
    public long commit() throws IOException {
        if (next != header.sections().size()) {
            throw new IllegalStateException("state file incomplete: section '" + header.sections().get(next) + "' not written");
        }
        writeFully(ByteBuffer.wrap(StateFileLayout.TRAILER));
        long size = out.size();
        out.force(true);
        out.close();
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        return size;
    }

    private void expect(String name) {
        if (next >= header.sections().size() || !header.sections().get(next).equals(name)) {
            throw new IllegalStateException("section '" + name + "' written out of the header's order " + header.sections());
        }
        next++;
    }

    private void writeSectionHeader(String name, int version, long length) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(2 + n.length + 4 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) n.length).put(n).putInt(version).putLong(length);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).flip();
        writeFully(b);
    }

    private void writeCrc(CRC32C crc) throws IOException {
        writeFully(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).flip());
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Abandons an uncommitted file (its temporary is deleted). */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        out.close();
        Files.deleteIfExists(temporary);
    }
}
