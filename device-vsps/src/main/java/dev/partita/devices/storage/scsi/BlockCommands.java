package dev.partita.devices.storage.scsi;

import dev.partita.devices.storage.disk.BlockDevice;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * READ / WRITE (6, 10, 16), VERIFY (10, 16) and SYNCHRONIZE CACHE (10, 16) against a block device.
 * Data moves directly between the device and the initiator's segments. An I/O error ends only its
 * command, with MEDIUM ERROR sense.
 */
final class BlockCommands {
    private static final System.Logger LOG = System.getLogger(BlockCommands.class.getName());

    private final BlockDevice device;
    private final long maxTransferBlocks;

    BlockCommands(BlockDevice device, long maxTransferBlocks) {
        this.device = device;
        this.maxTransferBlocks = maxTransferBlocks;
    }

    /** LBA and block count of a READ/WRITE/VERIFY CDB, plus the FUA bit. */
    private record Extent(long lba, long blocks, boolean fua) {
    }

    private static Extent extent(byte[] cdb) throws CheckCondition {
        int op = cdb[0] & 0xFF;
        return switch (op) {
            case ScsiOpcode.READ_6, ScsiOpcode.WRITE_6 -> {
                int n = Cdb.u8(cdb, 4);
                yield new Extent(Cdb.u24(cdb, 1) & 0x1F_FFFF, n == 0 ? 256 : n, false);
            }
            case ScsiOpcode.READ_10, ScsiOpcode.WRITE_10, ScsiOpcode.VERIFY_10 -> {
                checkProtect(cdb);
                yield new Extent(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), (cdb[1] & 0x08) != 0);
            }
            case ScsiOpcode.READ_16, ScsiOpcode.WRITE_16, ScsiOpcode.VERIFY_16 -> {
                checkProtect(cdb);
                long lba = Cdb.u64(cdb, 2);
                if (lba < 0) {                            // beyond 2^63: certainly out of range
                    throw new CheckCondition(SenseData.LBA_OUT_OF_RANGE);
                }
                yield new Extent(lba, Cdb.u32(cdb, 10), (cdb[1] & 0x08) != 0);
            }
            default -> throw new CheckCondition(SenseData.INVALID_OPCODE);
        };
    }

    /** RDPROTECT / WRPROTECT / VRPROTECT (bits 7..5 of byte 1) must be zero: no protection information. */
    private static void checkProtect(byte[] cdb) throws CheckCondition {
        if ((cdb[1] & 0xE0) != 0) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
    }

    private void checkRange(Extent e) throws CheckCondition {
        long sectors = device.sectorCount();
        if (e.lba > sectors || e.blocks > sectors - e.lba) {
            throw new CheckCondition(SenseData.LBA_OUT_OF_RANGE);
        }
    }

    ScsiResult readWrite(byte[] cdb, DataDirection direction, DataBuffer data) throws CheckCondition {
        int op = cdb[0] & 0xFF;
        boolean write = op == ScsiOpcode.WRITE_6 || op == ScsiOpcode.WRITE_10 || op == ScsiOpcode.WRITE_16;
        Extent e = extent(cdb);
        if (e.blocks > maxTransferBlocks) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        long bytes = e.blocks * BlockDevice.SECTOR_SIZE;
        if (bytes > data.length()
                || (bytes > 0 && direction != (write ? DataDirection.TO_DEVICE : DataDirection.FROM_DEVICE))) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        checkRange(e);
        if (write && device.readOnly()) {
            throw new CheckCondition(SenseData.WRITE_PROTECTED);
        }
        long pos = e.lba * BlockDevice.SECTOR_SIZE;
        try {
            if (write) {
                for (MemorySegment s : data.segments(0, bytes)) {
                    device.write(pos, s);
                    pos += s.byteSize();
                }
            } else {
                long start = pos;
                data.write(0, bytes, (at, dst) -> device.read(start + at, dst));
            }
            if (write && e.fua) {
                device.flush();
            }
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, (write ? "write" : "read") + " of " + e.blocks + " blocks at LBA "
                    + e.lba + " on " + device.describe() + " failed: " + ex.getMessage());
            throw new CheckCondition(write ? SenseData.WRITE_ERROR : SenseData.UNRECOVERED_READ_ERROR);
        }
        return ScsiResult.good(bytes);
    }

    ScsiResult verify(byte[] cdb, DataDirection direction, DataBuffer data) throws CheckCondition {
        int bytchk = (cdb[1] >> 1) & 3;
        if (bytchk > 1) {                                   // 10b reserved, 11b (one block compared to all) not supported
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        Extent e = extent(cdb);
        if (e.blocks > maxTransferBlocks) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        long bytes = e.blocks * BlockDevice.SECTOR_SIZE;
        if (bytchk == 1 && (bytes > data.length() || (bytes > 0 && direction != DataDirection.TO_DEVICE))) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        checkRange(e);
        if (bytchk == 0) {
            return ScsiResult.good(0);                      // medium check only: a raw image has no media defects
        }
        byte[] medium = new byte[BlockDevice.SECTOR_SIZE];
        byte[] given = new byte[BlockDevice.SECTOR_SIZE];
        MemorySegment mediumSeg = MemorySegment.ofArray(medium);
        try {
            for (long i = 0; i < e.blocks; i++) {
                device.read((e.lba + i) * BlockDevice.SECTOR_SIZE, mediumSeg);
                data.copyTo(i * BlockDevice.SECTOR_SIZE, given);
                if (!Arrays.equals(medium, given)) {
                    throw new CheckCondition(SenseData.MISCOMPARE_DURING_VERIFY);
                }
            }
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, "verify read at LBA " + e.lba + " on " + device.describe()
                    + " failed: " + ex.getMessage());
            throw new CheckCondition(SenseData.UNRECOVERED_READ_ERROR);
        }
        return ScsiResult.good(bytes);
    }

    ScsiResult synchronizeCache(byte[] cdb) throws CheckCondition {
        boolean sixteen = (cdb[0] & 0xFF) == ScsiOpcode.SYNCHRONIZE_CACHE_16;
        long lba = sixteen ? Cdb.u64(cdb, 2) : Cdb.u32(cdb, 2);
        long blocks = sixteen ? Cdb.u32(cdb, 10) : Cdb.u16(cdb, 7);
        if (lba < 0) {
            throw new CheckCondition(SenseData.LBA_OUT_OF_RANGE);
        }
        checkRange(new Extent(lba, blocks, false));
        try {
            device.flush();                                 // the whole cache: a range flush would not be cheaper
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, "flush of " + device.describe() + " failed: " + ex.getMessage());
            throw new CheckCondition(SenseData.WRITE_ERROR);
        }
        return ScsiResult.good(0);
    }

}
