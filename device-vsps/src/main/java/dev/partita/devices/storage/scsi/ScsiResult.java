package dev.partita.devices.storage.scsi;

/**
 * The outcome of one SCSI command.
 *
 * @param status      SCSI status byte ({@link ScsiStatus})
 * @param sense       sense data when {@code status} is CHECK CONDITION, otherwise null
 * @param transferred bytes moved between the initiator's buffer and the target (data-in or data-out)
 */
public record ScsiResult(int status, SenseData sense, long transferred) {
    public ScsiResult {
        if ((status == ScsiStatus.CHECK_CONDITION) != (sense != null)) {
            throw new IllegalArgumentException("sense data goes with CHECK CONDITION and only with it");
        }
        if (transferred < 0) {
            throw new IllegalArgumentException("negative transfer " + transferred);
        }
    }

    public static ScsiResult good(long transferred) {
        return new ScsiResult(ScsiStatus.GOOD, null, transferred);
    }

    public static ScsiResult checkCondition(SenseData sense) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense, 0);
    }

    public boolean isGood() {
        return status == ScsiStatus.GOOD;
    }
}
