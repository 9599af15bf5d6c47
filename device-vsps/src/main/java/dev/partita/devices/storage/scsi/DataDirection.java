package dev.partita.devices.storage.scsi;

/** Direction of a command's data phase as the initiator declared it. */
public enum DataDirection {
    /** No data phase. */
    NONE,
    /** Data-out: initiator to target (writes). */
    TO_DEVICE,
    /** Data-in: target to initiator (reads, INQUIRY, ...). */
    FROM_DEVICE
}
