package dev.partita.devices.storage.scsi;

/**
 * SCSI operation codes the target understands (SPC-4 / SBC-3 names; C names as in Linux's
 * {@code scsi_proto.h} where they differ).
 */
public final class ScsiOpcode {
    private ScsiOpcode() {
    }

    public static final int TEST_UNIT_READY = 0x00;
    public static final int REQUEST_SENSE = 0x03;
    public static final int READ_6 = 0x08;
    public static final int WRITE_6 = 0x0A;
    public static final int INQUIRY = 0x12;
    public static final int MODE_SENSE_6 = 0x1A;
    public static final int START_STOP_UNIT = 0x1B;
    public static final int READ_CAPACITY_10 = 0x25;
    public static final int READ_10 = 0x28;
    public static final int WRITE_10 = 0x2A;
    public static final int VERIFY_10 = 0x2F;
    public static final int SYNCHRONIZE_CACHE_10 = 0x35;
    public static final int MODE_SENSE_10 = 0x5A;
    public static final int READ_16 = 0x88;
    public static final int WRITE_16 = 0x8A;
    public static final int VERIFY_16 = 0x8F;
    public static final int SYNCHRONIZE_CACHE_16 = 0x91;
    public static final int SERVICE_ACTION_IN_16 = 0x9E;   // SERVICE_ACTION_IN_16
    public static final int REPORT_LUNS = 0xA0;

    /** Service action of SERVICE ACTION IN(16) for READ CAPACITY(16) ({@code SAI_READ_CAPACITY_16}). */
    public static final int SA_READ_CAPACITY_16 = 0x10;

    /** CDB length implied by the group code (bits 7-5 of the opcode); 0 for reserved/vendor groups. */
    public static int cdbLength(int opcode) {
        return switch ((opcode >> 5) & 7) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 4 -> 16;
            case 5 -> 12;
            default -> 0;
        };
    }
}
