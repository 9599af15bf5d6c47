package dev.partita.devices.storage.disk.vhdx;

import dev.partita.vmbus.protocol.LittleEndian;

import java.util.UUID;

/**
 * The region table (64 KiB, CRC-32C protected): where the BAT and the metadata region lie. Other regions
 * are allowed only when not marked required.
 *
 * @param batOffset      file offset of the BAT, a multiple of 1 MiB
 * @param batLength      bytes, a multiple of 1 MiB
 * @param metadataOffset file offset of the metadata region, a multiple of 1 MiB
 * @param metadataLength bytes, a multiple of 1 MiB
 */
record RegionTable(long batOffset, long batLength, long metadataOffset, long metadataLength) {
    private static final int MAX_ENTRIES = 2047;
    private static final int ENTRY_SIZE = 32;

    /** Parses one table copy; null when the signature or checksum is wrong, an exception when its content is. */
    static RegionTable parseOrNull(byte[] b) throws VhdxFormatException {
        if (LittleEndian.u32(b, 0) != VhdxLayout.REGION_SIGNATURE || !Crc32cField.valid(b, 0, VhdxLayout.REGION_TABLE_SIZE, 4)) {
            return null;
        }
        long count = Integer.toUnsignedLong(LittleEndian.u32(b, 8));
        if (count > MAX_ENTRIES) {
            throw new VhdxFormatException("region table has " + count + " entries (at most " + MAX_ENTRIES + ")");
        }
        long[] bat = null;
        long[] meta = null;
        for (int i = 0; i < count; i++) {
            int at = 16 + i * ENTRY_SIZE;
            UUID id = MsGuid.read(b, at);
            long offset = LittleEndian.u64(b, at + 16);
            long length = Integer.toUnsignedLong(LittleEndian.u32(b, at + 24));
            boolean required = (LittleEndian.u32(b, at + 28) & 1) != 0;
            if (id.equals(VhdxLayout.BAT_REGION) || id.equals(VhdxLayout.METADATA_REGION)) {
                String name = id.equals(VhdxLayout.BAT_REGION) ? "BAT" : "metadata";
                if ((id.equals(VhdxLayout.BAT_REGION) ? bat : meta) != null) {
                    throw new VhdxFormatException("region table names the " + name + " region twice");
                }
                if (offset < VhdxLayout.HEADER_SECTION_SIZE || offset % VhdxLayout.MIB != 0
                        || length == 0 || length % VhdxLayout.MIB != 0 || offset > Long.MAX_VALUE / 2) {
                    throw new VhdxFormatException(name + " region at " + offset + " of " + length
                            + " bytes is not a non-empty 1 MiB-aligned range after the header section");
                }
                if (id.equals(VhdxLayout.BAT_REGION)) {
                    bat = new long[] {offset, length};
                } else {
                    meta = new long[] {offset, length};
                }
            } else if (required) {
                throw new VhdxFormatException("region table requires an unknown region " + id);
            }
        }
        if (bat == null || meta == null) {
            throw new VhdxFormatException("region table lacks the " + (bat == null ? "BAT" : "metadata") + " region");
        }
        if (bat[0] < meta[0] + meta[1] && meta[0] < bat[0] + bat[1]) {
            throw new VhdxFormatException("BAT and metadata regions overlap");
        }
        return new RegionTable(bat[0], bat[1], meta[0], meta[1]);
    }

    byte[] encode() {
        byte[] b = new byte[VhdxLayout.REGION_TABLE_SIZE];
        LittleEndian.put32(b, 0, VhdxLayout.REGION_SIGNATURE);
        LittleEndian.put32(b, 8, 2);
        entry(b, 16, VhdxLayout.BAT_REGION, batOffset, batLength);
        entry(b, 16 + ENTRY_SIZE, VhdxLayout.METADATA_REGION, metadataOffset, metadataLength);
        Crc32cField.seal(b, 0, VhdxLayout.REGION_TABLE_SIZE, 4);
        return b;
    }

    private static void entry(byte[] b, int at, UUID id, long offset, long length) {
        MsGuid.write(b, at, id);
        LittleEndian.put64(b, at + 16, offset);
        LittleEndian.put32(b, at + 24, (int) length);
        LittleEndian.put32(b, at + 28, 1);
    }
}
