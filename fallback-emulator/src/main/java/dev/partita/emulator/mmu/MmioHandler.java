package dev.partita.emulator.mmu;

/**
 * Receives guest accesses to physical addresses that are not RAM (MMIO and unassigned space).
 * Called synchronously on the vCPU thread in the middle of an instruction; the backend adapts it to
 * the partition's MMIO bus. Sizes are 1, 2, 4 or 8; values are little-endian, zero-extended.
 */
public interface MmioHandler {

    /** Reads {@code size} bytes at guest physical address {@code gpa}. Unassigned space reads all ones. */
    long read(long gpa, int size);

    /** Writes the low {@code size} bytes of {@code value} at {@code gpa}. Unassigned space ignores writes. */
    void write(long gpa, int size, long value);

    /** Unassigned space: reads all ones, ignores writes. */
    MmioHandler UNASSIGNED = new MmioHandler() {
        @Override
        public long read(long gpa, int size) {
            return size == 8 ? -1L : (1L << (size * 8)) - 1;
        }

        @Override
        public void write(long gpa, int size, long value) {
        }
    };
}
