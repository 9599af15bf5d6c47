package dev.partita.devices.storage.disk.vhdx;

import java.io.IOException;
import java.util.UUID;

/**
 * The two header copies. The current one is the valid copy with the higher sequence number; an update
 * writes the other copy with the next number and flushes, so a torn write leaves the previous header
 * current. Each update is done twice, so both copies hold the new values.
 *
 * <p><b>Threads.</b> Not thread-safe; the disk serialises updates.
 */
final class HeaderPair {
    private final VhdxFile file;
    private VhdxHeader current;
    private int currentSlot;

    private HeaderPair(VhdxFile file, VhdxHeader current, int currentSlot) {
        this.file = file;
        this.current = current;
        this.currentSlot = currentSlot;
    }

    static HeaderPair read(VhdxFile file) throws IOException, VhdxFormatException {
        VhdxHeader first = VhdxHeader.parseOrNull(file.read(VhdxLayout.HEADER_OFFSETS[0], VhdxLayout.HEADER_SIZE));
        VhdxHeader second = VhdxHeader.parseOrNull(file.read(VhdxLayout.HEADER_OFFSETS[1], VhdxLayout.HEADER_SIZE));
        if (first == null && second == null) {
            throw new VhdxFormatException("neither header has a valid signature, checksum and version");
        }
        if (first != null && second != null && first.sequence() == second.sequence() && !first.equals(second)) {
            throw new VhdxFormatException("the two headers differ but have the same sequence number " + first.sequence());
        }
        boolean useSecond = first == null || (second != null && Long.compareUnsigned(second.sequence(), first.sequence()) > 0);
        return new HeaderPair(file, useSecond ? second : first, useSecond ? 1 : 0);
    }

    VhdxHeader current() {
        return current;
    }

    /** Makes a header with these GUIDs current (written and flushed in both slots). */
    void update(UUID fileWrite, UUID dataWrite, UUID log) throws IOException {
        for (int i = 0; i < 2; i++) {
            VhdxHeader next = current.next(fileWrite, dataWrite, log);
            int slot = 1 - currentSlot;
            file.write(VhdxLayout.HEADER_OFFSETS[slot], next.encode());
            file.flush();
            current = next;
            currentSlot = slot;
        }
    }
}
