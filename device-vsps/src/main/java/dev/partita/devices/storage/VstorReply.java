package dev.partita.devices.storage;

import dev.partita.vmbus.protocol.LittleEndian;
import java.util.Arrays;

/**
 * Writes the VSP's vstor packets: a completion is the guest's request echoed back (as Hyper-V does)
 * with operation COMPLETE_IO, a status, and the fields of the operation's answer filled in. The only
 * writer of the reply layout ({@link VstorPacket}).
 *
 * <p><b>Threads.</b> Stateless.
 */
final class VstorReply {
    private VstorReply() {
    }

    /** A copy of the request's first {@code size} bytes, zero beyond its {@code len} bytes. */
    static byte[] echo(byte[] b, int off, int len, int size) {
        byte[] reply = Arrays.copyOfRange(b, off, off + size);
        if (len < size) {
            Arrays.fill(reply, len, size, (byte) 0);
        }
        return reply;
    }

    /** Marks {@code reply} as the completion of its request with NTSTATUS {@code status}. */
    static void complete(byte[] reply, int status) {
        LittleEndian.put32(reply, VstorPacket.OPERATION, VstorPacket.OP_COMPLETE_IO);
        LittleEndian.put32(reply, VstorPacket.STATUS, status);
    }

    /** Fills the channel properties: no subchannels, no multi-channel, {@code maxTransferBytes}. */
    static void properties(byte[] reply, int maxTransferBytes) {
        Arrays.fill(reply, VstorPacket.PAYLOAD, reply.length, (byte) 0);
        LittleEndian.put16(reply, VstorPacket.PROPERTIES_MAX_CHANNEL_COUNT, 0);
        LittleEndian.put32(reply, VstorPacket.PROPERTIES_FLAGS, 0);
        LittleEndian.put32(reply, VstorPacket.PROPERTIES_MAX_TRANSFER_BYTES, maxTransferBytes);
    }

    /**
     * Fills the SRB fields of {@code reply}: statuses, transfer length, and the sense area
     * ({@code senseBufferSize} bytes, shared with the CDB) cleared and then holding {@code c}'s sense.
     */
    static void srb(byte[] reply, SrbCompletion c, int senseBufferSize) {
        int senseLength = Math.min(c.sense().length, senseBufferSize);
        Arrays.fill(reply, VstorPacket.SRB_CDB, VstorPacket.SRB_CDB + senseBufferSize, (byte) 0);
        System.arraycopy(c.sense(), 0, reply, VstorPacket.SRB_CDB, senseLength);
        reply[VstorPacket.SRB_SENSE_LENGTH] = (byte) senseLength;
        reply[VstorPacket.SRB_SRB_STATUS] = (byte) c.srbStatus();
        reply[VstorPacket.SRB_SCSI_STATUS] = (byte) c.scsiStatus();
        LittleEndian.put32(reply, VstorPacket.SRB_TRANSFER_LENGTH, (int) c.transferred());
    }

    /** The unsolicited ENUMERATE_BUS packet, {@link VstorPacket#SIZE} bytes. */
    static byte[] enumerateBus() {
        byte[] p = new byte[VstorPacket.SIZE];
        LittleEndian.put32(p, VstorPacket.OPERATION, VstorPacket.OP_ENUMERATE_BUS);
        return p;
    }
}
