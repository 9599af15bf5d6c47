package dev.partita.devices.storage;

/**
 * The outcome of one SRB as the completion reports it.
 *
 * @param status      the NTSTATUS for the vstor status field
 * @param srbStatus   the SRB status byte (with {@link VstorPacket#SRB_STATUS_AUTOSENSE_VALID} when sense is returned)
 * @param scsiStatus  the SCSI status byte
 * @param transferred bytes actually moved
 * @param sense       fixed-format sense bytes returned to the guest (empty when none)
 */
record SrbCompletion(int status, int srbStatus, int scsiStatus, long transferred, byte[] sense) {
    /** A request block that could not be run: nothing moved, no sense. */
    static SrbCompletion invalidRequest() {
        return new SrbCompletion(VstorPacket.STATUS_INVALID_PARAMETER, VstorPacket.SRB_STATUS_INVALID_REQUEST, 0, 0,
                new byte[0]);
    }
}
