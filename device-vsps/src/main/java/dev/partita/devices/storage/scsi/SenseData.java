package dev.partita.devices.storage.scsi;

/**
 * Sense data of a failed command: sense key, additional sense code and qualifier, encoded as
 * fixed-format sense data (SPC-4 4.5.3, response code 0x70 "current error").
 *
 * @param key  sense key (low 4 bits)
 * @param asc  additional sense code
 * @param ascq additional sense code qualifier
 */
public record SenseData(int key, int asc, int ascq) {
    /** Length of the fixed format this class produces (additional sense length 10). */
    public static final int FIXED_LENGTH = 18;

    public static final int KEY_NO_SENSE = 0x0;
    public static final int KEY_NOT_READY = 0x2;
    public static final int KEY_MEDIUM_ERROR = 0x3;
    public static final int KEY_HARDWARE_ERROR = 0x4;
    public static final int KEY_ILLEGAL_REQUEST = 0x5;
    public static final int KEY_UNIT_ATTENTION = 0x6;
    public static final int KEY_DATA_PROTECT = 0x7;
    public static final int KEY_ABORTED_COMMAND = 0xB;
    public static final int KEY_MISCOMPARE = 0xE;

    public static final SenseData NO_SENSE = new SenseData(KEY_NO_SENSE, 0x00, 0x00);
    /** ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE (0x20/0x00). */
    public static final SenseData INVALID_OPCODE = new SenseData(KEY_ILLEGAL_REQUEST, 0x20, 0x00);
    /** ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE (0x21/0x00). */
    public static final SenseData LBA_OUT_OF_RANGE = new SenseData(KEY_ILLEGAL_REQUEST, 0x21, 0x00);
    /** ILLEGAL REQUEST, INVALID FIELD IN CDB (0x24/0x00). */
    public static final SenseData INVALID_FIELD_IN_CDB = new SenseData(KEY_ILLEGAL_REQUEST, 0x24, 0x00);
    /** ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED (0x25/0x00). */
    public static final SenseData LUN_NOT_SUPPORTED = new SenseData(KEY_ILLEGAL_REQUEST, 0x25, 0x00);
    /** ILLEGAL REQUEST, SAVING PARAMETERS NOT SUPPORTED (0x39/0x00). */
    public static final SenseData SAVING_PARAMETERS_NOT_SUPPORTED = new SenseData(KEY_ILLEGAL_REQUEST, 0x39, 0x00);
    /** DATA PROTECT, WRITE PROTECTED (0x27/0x00). */
    public static final SenseData WRITE_PROTECTED = new SenseData(KEY_DATA_PROTECT, 0x27, 0x00);
    /** MEDIUM ERROR, UNRECOVERED READ ERROR (0x11/0x00). */
    public static final SenseData UNRECOVERED_READ_ERROR = new SenseData(KEY_MEDIUM_ERROR, 0x11, 0x00);
    /** MEDIUM ERROR, WRITE ERROR (0x0C/0x00). */
    public static final SenseData WRITE_ERROR = new SenseData(KEY_MEDIUM_ERROR, 0x0C, 0x00);
    /** MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION (0x1D/0x00). */
    public static final SenseData MISCOMPARE_DURING_VERIFY = new SenseData(KEY_MISCOMPARE, 0x1D, 0x00);

    public SenseData {
        if (key < 0 || key > 0xF || asc < 0 || asc > 0xFF || ascq < 0 || ascq > 0xFF) {
            throw new IllegalArgumentException("sense " + key + "/" + asc + "/" + ascq + " out of range");
        }
    }

    /**
     * Fixed-format sense data: byte 0 = 0x70 (current, VALID bit clear: no information field),
     * byte 2 = sense key, byte 7 = additional length 10, bytes 12/13 = ASC/ASCQ.
     */
    public byte[] toFixedFormat() {
        byte[] b = new byte[FIXED_LENGTH];
        b[0] = 0x70;
        b[2] = (byte) key;
        b[7] = (byte) (FIXED_LENGTH - 8);
        b[12] = (byte) asc;
        b[13] = (byte) ascq;
        return b;
    }

    @Override
    public String toString() {
        return String.format("sense %X/%02X/%02X", key, asc, ascq);
    }
}
