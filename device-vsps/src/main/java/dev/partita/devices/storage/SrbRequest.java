package dev.partita.devices.storage;

import dev.partita.devices.storage.scsi.DataDirection;
import dev.partita.devices.storage.scsi.ScsiAddress;

import java.util.Objects;

/**
 * The fields of a SCSI request block ({@code struct vmscsi_request}) that the VSP acts on.
 *
 * @param address        path, target and LUN addressed
 * @param cdb            the command descriptor block, 1 to 16 bytes
 * @param direction      which way data moves
 * @param senseLength    sense bytes the guest has room for ({@code sense_info_length})
 * @param transferLength bytes the guest expects to move ({@code data_transfer_length}, unsigned)
 * @param autosense      whether sense data is to be returned with a CHECK CONDITION
 */
record SrbRequest(ScsiAddress address, byte[] cdb, DataDirection direction, int senseLength, long transferLength,
                  boolean autosense) {
    SrbRequest {
        Objects.requireNonNull(address);
        Objects.requireNonNull(direction);
        if (cdb.length == 0 || cdb.length > VstorPacket.SRB_CDB_MAX) {
            throw new IllegalArgumentException("CDB of " + cdb.length + " bytes");
        }
    }
}
