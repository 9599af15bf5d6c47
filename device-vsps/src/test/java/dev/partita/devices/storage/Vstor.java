package dev.partita.devices.storage;

import dev.partita.vmbus.protocol.LittleEndian;

/** Builders of vstor packets as Linux's storvsc sends them (64 bytes, protocol 5.1+ layout). */
final class Vstor {
    private Vstor() {
    }

    static byte[] op(int operation) {
        byte[] p = new byte[VstorPacket.SIZE];
        LittleEndian.put32(p, VstorPacket.OPERATION, operation);
        LittleEndian.put32(p, VstorPacket.FLAGS, VstorPacket.FLAG_REQUEST_COMPLETION);
        return p;
    }

    static byte[] version(int wire) {
        byte[] p = op(VstorPacket.OP_QUERY_PROTOCOL_VERSION);
        LittleEndian.put16(p, VstorPacket.VERSION_MAJOR_MINOR, wire);
        return p;
    }

    /** An EXECUTE_SRB packet for LUN {@code path:target:lun}. */
    static byte[] srb(int path, int target, int lun, byte[] cdb, int dataIn, int transferLength) {
        byte[] p = op(VstorPacket.OP_EXECUTE_SRB);
        LittleEndian.put16(p, VstorPacket.SRB_LENGTH, 52);
        p[VstorPacket.SRB_PATH] = (byte) path;
        p[VstorPacket.SRB_TARGET] = (byte) target;
        p[VstorPacket.SRB_LUN] = (byte) lun;
        p[VstorPacket.SRB_CDB_LENGTH] = (byte) cdb.length;
        p[VstorPacket.SRB_SENSE_LENGTH] = VstorPacket.SRB_SENSE_MAX;
        p[VstorPacket.SRB_DATA_IN] = (byte) dataIn;
        LittleEndian.put32(p, VstorPacket.SRB_TRANSFER_LENGTH, transferLength);
        System.arraycopy(cdb, 0, p, VstorPacket.SRB_CDB, cdb.length);
        LittleEndian.put32(p, VstorPacket.SRB_TIMEOUT, 60);
        return p;
    }

    static int status(byte[] reply) {
        return LittleEndian.u32(reply, VstorPacket.STATUS);
    }

    static int srbStatus(byte[] reply) {
        return reply[VstorPacket.SRB_SRB_STATUS] & 0xFF;
    }

    static int scsiStatus(byte[] reply) {
        return reply[VstorPacket.SRB_SCSI_STATUS] & 0xFF;
    }

    static int transferLength(byte[] reply) {
        return LittleEndian.u32(reply, VstorPacket.SRB_TRANSFER_LENGTH);
    }
}
