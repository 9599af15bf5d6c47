package dev.partita.devices.storage.disk.vhdx;

/**
 * BAT entry fields: the state in bits 0-2, the file offset in MiB in bits 20-63 (bits 3-19 reserved).
 * Stateless; any thread.
 */
final class BatEntry {
    private BatEntry() {
    }

    /** Payload: the parent (differencing) or zeros (otherwise) define the block. */
    static final int NOT_PRESENT = 0;
    /** Payload: contents undefined; read as zeros. */
    static final int UNDEFINED = 1;
    /** Payload: reads as zeros. */
    static final int ZERO = 2;
    /** Payload: unmapped (trimmed); read as zeros. The spec's value. */
    static final int UNMAPPED = 3;
    /** Payload: unmapped, the value of the format's first published version. */
    static final int UNMAPPED_V0 = 5;
    /** Payload: every sector in the block is in the file. */
    static final int FULLY_PRESENT = 6;
    /** Payload (differencing only): the sector bitmap says which sectors are in the file. */
    static final int PARTIALLY_PRESENT = 7;
    /** Sector bitmap: block allocated. */
    static final int BITMAP_PRESENT = 6;

    static int state(long entry) {
        return (int) (entry & 7);
    }

    static long fileOffset(long entry) {
        return entry & ~0xFFFFFL;
    }

    static long of(int state, long fileOffset) {
        return fileOffset | state;
    }

    static boolean readsZero(int state) {
        return state == UNDEFINED || state == ZERO || state == UNMAPPED || state == UNMAPPED_V0;
    }

    static boolean allocated(int state) {
        return state == FULLY_PRESENT || state == PARTIALLY_PRESENT;
    }
}
