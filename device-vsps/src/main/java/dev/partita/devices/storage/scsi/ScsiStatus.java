package dev.partita.devices.storage.scsi;

/** SCSI status byte values (SAM-5; Linux {@code SAM_STAT_*}). */
public final class ScsiStatus {
    private ScsiStatus() {
    }

    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
}
