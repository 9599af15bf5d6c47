package dev.partita.hv.state;

import dev.partita.hv.memory.GuestMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and checks a state file ({@link StateFileLayout}). {@link #open} verifies the header;
 * {@link #readSections} reads every section in order, verifying each section header and payload
 * checksum, every length against the file's size and the trailer, and reads the memory section
 * straight into guest RAM. Any problem ends in a {@link StateFileException} with one line naming
 * it; nothing else is touched. Not thread-safe; one per restore.
 */
public final class StateFileReader implements AutoCloseable {

    /** A verified section other than memory. */
    public record Section(String name, int version, byte[] payload) {
    }

    private final FileChannel channel;
    private final ChannelInput in;
    private final StateFileHeader header;

    private StateFileReader(FileChannel channel, ChannelInput in, StateFileHeader header) {
        this.channel = channel;
        this.in = in;
        this.header = header;
    }

    /** Opens {@code file} and verifies its header. */
    public static StateFileReader open(Path file) throws IOException, StateFileException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ChannelInput in = new ChannelInput(ch);
            return new StateFileReader(ch, in, readHeader(in));
        } catch (IOException | StateFileException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static StateFileHeader readHeader(ChannelInput in) throws IOException, StateFileException {
        if (in.remaining() < 16) {
            throw new StateFileException("not a Partita state file: " + in.remaining() + " bytes, shorter than the header");
        }
        ByteBuffer start = in.read(16, "the header");
        byte[] magic = new byte[8];
        start.get(magic);
        if (!Arrays.equals(magic, StateFileLayout.MAGIC)) {
            throw new StateFileException("not a Partita state file (no PARTSTAT magic at byte 0)");
        }
        int version = start.getInt();
        if (version != StateFileHeader.FORMAT_VERSION) {
            throw new StateFileException("state file format version " + Integer.toUnsignedString(version)
                    + ", this build reads version " + StateFileHeader.FORMAT_VERSION);
        }
        int bodyLength = start.getInt();
        if (bodyLength < 0 || bodyLength > StateFileLayout.MAX_HEADER_BODY) {
            throw new StateFileException("corrupt state file: header length " + Integer.toUnsignedString(bodyLength)
                    + " exceeds " + StateFileLayout.MAX_HEADER_BODY);
        }
        ByteBuffer body = in.read(bodyLength, "the header");
        CRC32C crc = new CRC32C();
        crc.update(start.flip());
        crc.update(body.duplicate());
        in.checkCrc(crc, "the header");
        SectionReader r = new SectionReader("header", body.array());
        long memoryBytes = r.u64();
        int cpus = r.u32();
        String backend = new String(r.raw(r.u16()), StandardCharsets.UTF_8);
        int count = r.count(StateFileHeader.MAX_SECTIONS, "section");
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = new String(r.raw(r.u16()), StandardCharsets.US_ASCII);
            if (!StateNames.isValid(name) || names.contains(name)) {
                throw new StateFileException("corrupt state file: bad or repeated section name '" + name + "' in the header");
            }
            names.add(name);
        }
        r.end();
        return new StateFileHeader(version, backend, memoryBytes, cpus, names);
    }

    public StateFileHeader header() {
        return header;
    }

    /**
     * Reads every section: the memory section into {@code memory} (whose regions must be the
     * file's), the others into memory for the caller to apply. Returns them by name, file order.
     */
    public Map<String, Section> readSections(GuestMemory memory, StateProgress progress)
            throws IOException, StateFileException {
        Map<String, Section> sections = new LinkedHashMap<>();
        for (int i = 0; i < header.sections().size(); i++) {
            Section s = readSection(i, memory, progress);
            if (s != null) {
                sections.put(s.name(), s);
            }
        }
        readTrailer();
        return sections;
    }

    /**
     * Reads the sections up to and including {@code name}, which must come before the memory
     * section (a VM description the caller needs before it can create the VM). Use a fresh reader
     * for {@link #readSections} afterwards.
     */
    public Section readLeadingSection(String name) throws IOException, StateFileException {
        if (!header.sections().contains(name)) {
            throw new StateFileException("state file has no section '" + name + "' (sections: " + header.sections() + ")");
        }
        for (int i = 0; i < header.sections().size(); i++) {
            if (header.sections().get(i).equals(StateFileLayout.MEMORY)) {
                break;
            }
            Section s = readSection(i, null, StateProgress.NONE);
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new StateFileException("state file: section '" + name + "' comes after the memory section");
    }

    /** Reads section {@code i}: returns it, or null for the memory section (read into {@code memory}). */
    private Section readSection(int i, GuestMemory memory, StateProgress progress) throws IOException, StateFileException {
        String expected = header.sections().get(i);
        String where = "section " + (i + 1) + " of " + header.sections().size() + " ('" + expected + "')";
        long at = in.position();
        if (in.remaining() == 0) {
            throw new StateFileException("truncated state file: it ends at byte " + at + " before " + where);
        }
        int nameLength = in.read(2, where).getShort() & 0xFFFF;
        if (nameLength > StateNames.MAX_LENGTH) {
            throw new StateFileException("corrupt state file: " + where + " has a name of " + nameLength
                    + " bytes (at byte " + at + ")");
        }
        ByteBuffer rest = in.read(nameLength + 12, where);
        byte[] nameBytes = new byte[nameLength];
        rest.get(nameBytes);
        int version = rest.getInt();
        long length = rest.getLong();
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(2).putShort(0, Short.reverseBytes((short) nameLength)));
        crc.update(rest.duplicate().flip());
        in.checkCrc(crc, "the header of " + where);
        String name = new String(nameBytes, StandardCharsets.US_ASCII);
        if (!name.equals(expected)) {
            throw new StateFileException("corrupt state file: found section '" + name + "' where the header lists "
                    + where);
        }
        if (length < 0 || length > in.remaining() - 4) {
            throw new StateFileException("truncated state file: " + where + " claims " + Long.toUnsignedString(length)
                    + " bytes, the file has " + Math.max(0, in.remaining() - 4) + " left after its header");
        }
        CRC32C payloadCrc = new CRC32C();
        if (name.equals(StateFileLayout.MEMORY)) {
            if (version != 1) {
                throw new StateFileException("section 'memory' has layout version " + version + ", this build reads 1");
            }
            MemoryImage.read(in, length, memory, payloadCrc, progress);
            in.checkCrc(payloadCrc, where);
            return null;
        }
        if (length > StateFileLayout.MAX_SECTION) {
            throw new StateFileException("corrupt state file: " + where + " claims " + length + " bytes, more than "
                    + StateFileLayout.MAX_SECTION);
        }
        ByteBuffer payload = in.read((int) length, where);
        payloadCrc.update(payload.duplicate());
        in.checkCrc(payloadCrc, where);
        return new Section(name, version, payload.array());
    }

    private void readTrailer() throws IOException, StateFileException {
        if (in.remaining() != StateFileLayout.TRAILER.length) {
            if (in.remaining() < StateFileLayout.TRAILER.length) {
                throw new StateFileException("truncated state file: the end marker is missing (file ends at byte "
                        + (in.position() + in.remaining()) + ")");
            }
            throw new StateFileException("corrupt state file: " + (in.remaining() - StateFileLayout.TRAILER.length)
                    + " unexpected bytes after the last section");
        }
        byte[] trailer = new byte[StateFileLayout.TRAILER.length];
        in.read(trailer.length, "the end marker").get(trailer);
        if (!Arrays.equals(trailer, StateFileLayout.TRAILER)) {
            throw new StateFileException("corrupt state file: bad end marker at byte " + (in.position() - trailer.length));
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
