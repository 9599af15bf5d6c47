package dev.partita.devices.storage.scsi;

/** Where a logical unit sits on a controller: path (bus/channel), target id and LUN, each 0..255. */
public record ScsiAddress(int path, int target, int lun) {
    public ScsiAddress {
        if ((path | target | lun) < 0 || path > 255 || target > 255 || lun > 255) {
            throw new IllegalArgumentException("SCSI address out of range: " + path + ":" + target + ":" + lun);
        }
    }

    @Override
    public String toString() {
        return path + ":" + target + ":" + lun;
    }
}
