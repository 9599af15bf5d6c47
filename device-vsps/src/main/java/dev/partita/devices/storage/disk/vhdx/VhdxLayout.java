package dev.partita.devices.storage.disk.vhdx;

import java.util.UUID;

/**
 * Fixed places, signatures and identifiers of the VHDX format ([MS-VHDX]). Signatures are the ASCII
 * tags read as little-endian integers.
 */
final class VhdxLayout {
    private VhdxLayout() {
    }

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;

    /** The header section: file identifier, two headers, two region tables; 1 MiB. */
    static final long HEADER_SECTION_SIZE = MIB;
    static final long FILE_IDENTIFIER_OFFSET = 0;
    static final long[] HEADER_OFFSETS = {64 * KIB, 128 * KIB};
    /** The header checksum covers its first 4 KiB. */
    static final int HEADER_SIZE = 4096;
    static final long[] REGION_TABLE_OFFSETS = {192 * KIB, 256 * KIB};
    static final int REGION_TABLE_SIZE = 64 * 1024;

    /** "vhdxfile". */
    static final long FILE_SIGNATURE = 0x656C696678646876L;
    /** "head". */
    static final int HEADER_SIGNATURE = 0x64616568;
    /** "regi". */
    static final int REGION_SIGNATURE = 0x69676572;
    /** "metadata". */
    static final long METADATA_SIGNATURE = 0x617461646174656DL;
    /** "loge". */
    static final int LOG_ENTRY_SIGNATURE = 0x65676F6C;
    /** "desc". */
    static final int DATA_DESCRIPTOR_SIGNATURE = 0x63736564;
    /** "zero". */
    static final int ZERO_DESCRIPTOR_SIGNATURE = 0x6F72657A;
    /** "data". */
    static final int DATA_SECTOR_SIGNATURE = 0x61746164;

    static final UUID BAT_REGION = UUID.fromString("2DC27766-F623-4200-9D64-115E9BFD4A08");
    static final UUID METADATA_REGION = UUID.fromString("8B7CA206-4790-4B9A-B8FE-575F050F886E");

    static final UUID FILE_PARAMETERS = UUID.fromString("CAA16737-FA36-4D43-B3B6-33F0AA44E76B");
    static final UUID VIRTUAL_DISK_SIZE = UUID.fromString("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
    static final UUID PAGE_83_DATA = UUID.fromString("BECA12AB-B2E6-4523-93EF-C309E000C746");
    static final UUID LOGICAL_SECTOR_SIZE = UUID.fromString("8141BF1D-A96F-4709-BA47-F233A8FAAB5F");
    static final UUID PHYSICAL_SECTOR_SIZE = UUID.fromString("CDA348C7-445D-4471-9CC9-E9885251C556");
    static final UUID PARENT_LOCATOR = UUID.fromString("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C");
    /** Parent locator type of a VHDX parent. */
    static final UUID VHDX_PARENT_LOCATOR_TYPE = UUID.fromString("B04AEFB7-D19E-4A81-B789-25B8E9445913");

    /** Log sectors, data descriptor granularity. */
    static final int LOG_SECTOR = 4096;

    /** Sectors described by one sector bitmap block (2^23); the bitmap block is 1 MiB. */
    static final long SECTORS_PER_BITMAP_BLOCK = 1L << 23;
    static final int BITMAP_BLOCK_SIZE = (int) MIB;

    static final long MIN_BLOCK_SIZE = MIB;
    static final long MAX_BLOCK_SIZE = 256 * MIB;
    /** Largest virtual disk the format allows (64 TiB). */
    static final long MAX_VIRTUAL_SIZE = 64L << 40;

    static long alignUp(long v, long to) {
        return (v + to - 1) / to * to;
    }
}
