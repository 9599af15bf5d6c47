package dev.partita.devices.storage.scsi;

import dev.partita.devices.storage.disk.BlockDevice;

import java.util.Objects;

/**
 * A direct-access logical unit (SBC-3 disk) over a {@link BlockDevice}: parses CDBs and executes
 * them. Supported: TEST UNIT READY, REQUEST SENSE, INQUIRY (standard; VPD 0x00, 0x80, 0x83, 0xB0,
 * 0xB1), MODE SENSE(6)/(10) (pages 0x08, 0x0A, 0x3F), START STOP UNIT, READ CAPACITY(10)/(16),
 * READ/WRITE(6/10/16), VERIFY(10/16) (BYTCHK 0 and 1), SYNCHRONIZE CACHE(10/16). Any other opcode
 * gets CHECK CONDITION, ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE; REPORT LUNS is answered
 * by the {@link ScsiBus}.
 *
 * <p>Sense data is returned with the command (autosense), so REQUEST SENSE reports NO SENSE.
 *
 * <p><b>Threads.</b> {@link #execute} may run on several threads at once (it keeps no mutable state;
 * the block device does positional I/O).
 */
public final class ScsiDisk {
    private final DiskIdentity identity;
    private final BlockDevice device;
    private final long maxTransferBlocks;
    private final BlockCommands block;

    /**
     * @param maxTransferBytes the largest data transfer the transport accepts (a multiple of 512)
     */
    public ScsiDisk(DiskIdentity identity, BlockDevice device, long maxTransferBytes) {
        this.identity = Objects.requireNonNull(identity);
        this.device = Objects.requireNonNull(device);
        if (maxTransferBytes < BlockDevice.SECTOR_SIZE || maxTransferBytes % BlockDevice.SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("max transfer must be a positive multiple of 512: " + maxTransferBytes);
        }
        this.maxTransferBlocks = maxTransferBytes / BlockDevice.SECTOR_SIZE;
        this.block = new BlockCommands(device, maxTransferBlocks);
    }

    public DiskIdentity identity() {
        return identity;
    }

    public BlockDevice device() {
        return device;
    }

    /**
     * Executes one command. Never throws for bad CDBs or I/O errors: those end in CHECK CONDITION.
     *
     * @param cdb       the CDB bytes (exactly the initiator's CDB length)
     * @param direction the data direction the initiator declared
     * @param data      the initiator's buffer (its length bounds every transfer)
     */
    public ScsiResult execute(byte[] cdb, DataDirection direction, DataBuffer data) {
        try {
            if (cdb.length == 0) {
                throw new CheckCondition(SenseData.INVALID_OPCODE);
            }
            int op = cdb[0] & 0xFF;
            int need = ScsiOpcode.cdbLength(op);
            if (need == 0) {
                throw new CheckCondition(SenseData.INVALID_OPCODE);
            }
            if (cdb.length < need) {
                throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
            }
            return switch (op) {
                case ScsiOpcode.TEST_UNIT_READY, ScsiOpcode.START_STOP_UNIT -> ScsiResult.good(0);
                case ScsiOpcode.REQUEST_SENSE -> requestSense(cdb, data, SenseData.NO_SENSE);
                case ScsiOpcode.INQUIRY -> inquiry(cdb, direction, data);
                case ScsiOpcode.MODE_SENSE_6 -> modeSense(cdb, direction, data, false);
                case ScsiOpcode.MODE_SENSE_10 -> modeSense(cdb, direction, data, true);
                case ScsiOpcode.READ_CAPACITY_10 -> readCapacity10(direction, data);
                case ScsiOpcode.SERVICE_ACTION_IN_16 -> serviceActionIn(cdb, direction, data);
                case ScsiOpcode.READ_6, ScsiOpcode.READ_10, ScsiOpcode.READ_16,
                     ScsiOpcode.WRITE_6, ScsiOpcode.WRITE_10, ScsiOpcode.WRITE_16 -> block.readWrite(cdb, direction, data);
                case ScsiOpcode.VERIFY_10, ScsiOpcode.VERIFY_16 -> block.verify(cdb, direction, data);
                case ScsiOpcode.SYNCHRONIZE_CACHE_10, ScsiOpcode.SYNCHRONIZE_CACHE_16 -> block.synchronizeCache(cdb);
                default -> throw new CheckCondition(SenseData.INVALID_OPCODE);
            };
        } catch (CheckCondition c) {
            return ScsiResult.checkCondition(c.sense);
        }
    }

    /** REQUEST SENSE: fixed-format {@code sense} as parameter data (descriptor format is not supported). */
    static ScsiResult requestSense(byte[] cdb, DataBuffer data, SenseData sense) throws CheckCondition {
        if ((cdb[1] & 0x01) != 0) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        return ScsiResult.good(data.copyFrom(sense.toFixedFormat(), Cdb.u8(cdb, 4)));
    }

    private ScsiResult inquiry(byte[] cdb, DataDirection direction, DataBuffer data) throws CheckCondition {
        boolean evpd = (cdb[1] & 0x01) != 0;
        if ((cdb[1] & 0xFE) != 0) {                      // CMDDT (obsolete) and reserved bits
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        int page = Cdb.u8(cdb, 2);
        int alloc = Cdb.u16(cdb, 3);
        byte[] reply;
        if (!evpd) {
            if (page != 0) {
                throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
            }
            reply = InquiryPages.standard(identity, InquiryPages.PERIPHERAL_DISK);
        } else {
            reply = InquiryPages.vpd(page, identity, maxTransferBlocks);
            if (reply == null) {
                throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
            }
        }
        return dataIn(direction, data, reply, alloc);
    }

    private ScsiResult modeSense(byte[] cdb, DataDirection direction, DataBuffer data, boolean tenByte) throws CheckCondition {
        boolean dbd = (cdb[1] & 0x08) != 0;
        boolean llbaa = tenByte && (cdb[1] & 0x10) != 0;
        int pc = (cdb[2] >> 6) & 3;
        int page = cdb[2] & 0x3F;
        int subpage = Cdb.u8(cdb, 3);
        int alloc = tenByte ? Cdb.u16(cdb, 7) : Cdb.u8(cdb, 4);
        byte[] reply = ModePages.build(tenByte, dbd, llbaa, pc, page, subpage, device.sectorCount(), device.readOnly());
        return dataIn(direction, data, reply, alloc);
    }

    private ScsiResult readCapacity10(DataDirection direction, DataBuffer data) throws CheckCondition {
        byte[] b = new byte[8];
        Cdb.put32(b, 0, Math.min(device.sectorCount() - 1, 0xFFFF_FFFFL));
        Cdb.put32(b, 4, BlockDevice.SECTOR_SIZE);
        return dataIn(direction, data, b, b.length);
    }

    private ScsiResult serviceActionIn(byte[] cdb, DataDirection direction, DataBuffer data) throws CheckCondition {
        if ((cdb[1] & 0x1F) != ScsiOpcode.SA_READ_CAPACITY_16) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        long alloc = Cdb.u32(cdb, 10);
        byte[] b = new byte[32];
        Cdb.put64(b, 0, device.sectorCount() - 1);
        Cdb.put32(b, 8, BlockDevice.SECTOR_SIZE);
        // bytes 12..15: no protection, 1 logical block per physical block, LBPME = 0, lowest aligned LBA 0
        return dataIn(direction, data, b, alloc);
    }

    /** Copies {@code reply} truncated to the allocation length and the buffer. */
    static ScsiResult dataIn(DataDirection direction, DataBuffer data, byte[] reply, long alloc) throws CheckCondition {
        if (alloc > 0 && data.length() > 0 && direction == DataDirection.TO_DEVICE) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        return ScsiResult.good(data.copyFrom(reply, alloc));
    }
}
