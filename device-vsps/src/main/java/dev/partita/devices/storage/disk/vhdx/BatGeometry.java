package dev.partita.devices.storage.disk.vhdx;

/**
 * Where each block's entry sits in the block allocation table. The BAT interleaves chunks: each chunk
 * holds {@code chunkRatio} payload entries followed by the entry of the sector bitmap block that covers
 * them (2^23 logical sectors). A disk without parent may leave out the trailing bitmap entry of a partial
 * last chunk. Immutable; any thread.
 *
 * @param blockSize         payload block size in bytes
 * @param logicalSectorSize 512 or 4096
 * @param virtualSize       disk size in bytes
 * @param differencing      whether the disk has a parent (its BAT always ends with a bitmap entry)
 */
record BatGeometry(long blockSize, int logicalSectorSize, long virtualSize, boolean differencing) {
    /** Payload entries per chunk. */
    long chunkRatio() {
        return VhdxLayout.SECTORS_PER_BITMAP_BLOCK * logicalSectorSize / blockSize;
    }

    long payloadBlocks() {
        return (virtualSize + blockSize - 1) / blockSize;
    }

    long bitmapBlocks() {
        return (payloadBlocks() + chunkRatio() - 1) / chunkRatio();
    }

    /** Number of BAT entries the disk uses. */
    long entries() {
        return differencing ? bitmapBlocks() * (chunkRatio() + 1)
                : payloadBlocks() + (payloadBlocks() - 1) / chunkRatio();
    }

    /** BAT index of payload block {@code block}. */
    int payloadIndex(long block) {
        return (int) (block + block / chunkRatio());
    }

    /** BAT index of the sector bitmap block of chunk {@code chunk}. */
    int bitmapIndex(long chunk) {
        return (int) (chunk * (chunkRatio() + 1) + chunkRatio());
    }

    /** Whether BAT index {@code i} is a sector bitmap entry. */
    boolean isBitmapIndex(long i) {
        return i % (chunkRatio() + 1) == chunkRatio();
    }

    long sectorsPerBlock() {
        return blockSize / logicalSectorSize;
    }
}
