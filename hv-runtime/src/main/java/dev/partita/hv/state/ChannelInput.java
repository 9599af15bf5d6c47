package dev.partita.hv.state;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Sequential reads from a state file with the file's size known: every read is checked against
 * what is left, so a truncated file ends in a {@link StateFileException} that names what was being
 * read and where the file ends. Not thread-safe.
 */
final class ChannelInput {
    private final FileChannel channel;
    private final long size;
    private long position;

    ChannelInput(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.position = channel.position();
    }

    long position() {
        return position;
    }

    long remaining() {
        return size - position;
    }

    /** Reads exactly {@code n} bytes into a new little-endian buffer, flipped for reading. */
    ByteBuffer read(int n, String what) throws IOException, StateFileException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        fill(b, what);
        return b.flip();
    }

    /** Fills {@code target} from the current position, updating {@code crc} (may be null) with what was read. */
    void fill(ByteBuffer target, String what, CRC32C crc) throws IOException, StateFileException {
        int start = target.position();
        fill(target, what);
        if (crc != null) {
            crc.update(target.duplicate().flip().position(start));
        }
    }

    private void fill(ByteBuffer target, String what) throws IOException, StateFileException {
        if (target.remaining() > remaining()) {
            throw new StateFileException("truncated state file: it ends at byte " + size + " inside " + what
                    + " (needs " + target.remaining() + " bytes at " + position + ")");
        }
        while (target.hasRemaining()) {
            int n = channel.read(target, position);
            if (n < 0) {
                throw new StateFileException("truncated state file: it ends at byte " + position + " inside " + what);
            }
            position += n;
        }
    }

    /**
     * Maps the next {@code length} bytes of the file read-only into {@code arena} and moves past
     * them: large payloads are then copied and checksummed without a system call per piece.
     */
    MemorySegment map(long length, String what, Arena arena) throws IOException, StateFileException {
        if (length > remaining()) {
            throw new StateFileException("truncated state file: it ends at byte " + size + " inside " + what
                    + " (needs " + length + " bytes at " + position + ")");
        }
        MemorySegment m = channel.map(FileChannel.MapMode.READ_ONLY, position, length, arena);
        position += length;
        return m;
    }

    /** Reads a u32 CRC-32C and compares it with {@code crc}. */
    void checkCrc(CRC32C crc, String what) throws IOException, StateFileException {
        long at = position;
        int stored = read(4, "the checksum of " + what).getInt();
        if (stored != (int) crc.getValue()) {
            throw new StateFileException("corrupt state file: CRC-32C of " + what + " does not match (checksum at byte "
                    + at + ")");
        }
    }
}
