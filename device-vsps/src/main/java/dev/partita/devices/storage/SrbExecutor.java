package dev.partita.devices.storage;

import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.devices.storage.scsi.DataBuffer;
import dev.partita.devices.storage.scsi.DataDirection;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiResult;
import dev.partita.devices.storage.scsi.ScsiStatus;
import dev.partita.devices.storage.scsi.SenseData;
import dev.partita.hv.memory.GuestMemory;

import java.util.Arrays;
import java.util.List;

/**
 * Executes one EXECUTE_SRB packet: checks the SCSI request block, builds the data buffer from the
 * GPA-direct ranges, runs the CDB on the {@link ScsiBus} and fills the completion: SCSI status,
 * SRB status ({@code SUCCESS}; {@code ERROR} or {@code INVALID_LUN} with the autosense-valid bit
 * and the sense data copied into the request; {@code INVALID_REQUEST} for a malformed request),
 * and the data transfer length actually moved.
 *
 * <p><b>Threads.</b> Stateless; called on a channel's handler thread.
 */
final class SrbExecutor {
    private final GuestMemory memory;
    private final ScsiBus bus;
    private final int maxTransferBytes;

    SrbExecutor(GuestMemory memory, ScsiBus bus, int maxTransferBytes) {
        this.memory = memory;
        this.bus = bus;
        this.maxTransferBytes = maxTransferBytes;
    }

    /**
     * Executes the SRB in {@code reply} (a copy of the request, {@code session.packetSize()} bytes)
     * and rewrites it into the completion.
     *
     * @param ranges the packet's GPA ranges, or null for an in-band packet
     * @return the NTSTATUS for the vstor status field
     */
    int execute(byte[] reply, VstorSession session, List<GpaDirectRange> ranges) {
        int cdbLength = LittleEndian.u8(reply, VstorPacket.SRB_CDB_LENGTH);
        int senseLength = LittleEndian.u8(reply, VstorPacket.SRB_SENSE_LENGTH);
        int dataIn = LittleEndian.u8(reply, VstorPacket.SRB_DATA_IN);
        long transfer = Integer.toUnsignedLong(LittleEndian.u32(reply, VstorPacket.SRB_TRANSFER_LENGTH));
        boolean autosense = session.packetSize() < VstorPacket.SIZE
                || (LittleEndian.u32(reply, VstorPacket.SRB_FLAGS) & VstorPacket.SRB_FLAGS_DISABLE_AUTOSENSE) == 0;
        DataDirection direction = switch (dataIn) {
            case VstorPacket.DATA_IN_WRITE -> DataDirection.TO_DEVICE;
            case VstorPacket.DATA_IN_READ -> DataDirection.FROM_DEVICE;
            case VstorPacket.DATA_IN_NONE -> DataDirection.NONE;
            default -> null;
        };
        if (cdbLength == 0 || cdbLength > VstorPacket.SRB_CDB_MAX || direction == null || transfer > maxTransferBytes
                || (transfer > 0 && ranges == null)) {
            return invalidRequest(reply);
        }
        DataBuffer data;
        try {
            data = transfer == 0 ? DataBuffer.EMPTY : GuestPagesBuffer.of(memory, ranges, transfer);
        } catch (MalformedPacketException e) {
            System.getLogger(SrbExecutor.class.getName()).log(System.Logger.Level.DEBUG, "SRB refused: " + e.getMessage());
            return invalidRequest(reply);
        }
        ScsiAddress address = new ScsiAddress(LittleEndian.u8(reply, VstorPacket.SRB_PATH),
                LittleEndian.u8(reply, VstorPacket.SRB_TARGET), LittleEndian.u8(reply, VstorPacket.SRB_LUN));
        byte[] cdb = Arrays.copyOfRange(reply, VstorPacket.SRB_CDB, VstorPacket.SRB_CDB + cdbLength);
        ScsiResult r = bus.execute(address, cdb, direction, data);
        if (direction == DataDirection.FROM_DEVICE && data instanceof GuestPagesBuffer pages) {
            // Device data reached guest pages through views: tell GuestMemory (dirty log, and the
            // emulator's decoded-code cache). The whole buffer, since a failing read may have
            // stored part of it before the error.
            pages.noteHostWritten(pages.length());
        }

        Arrays.fill(reply, VstorPacket.SRB_CDB, VstorPacket.SRB_CDB + session.senseBufferSize(), (byte) 0);
        reply[VstorPacket.SRB_SCSI_STATUS] = (byte) r.status();
        LittleEndian.put32(reply, VstorPacket.SRB_TRANSFER_LENGTH, (int) r.transferred());
        if (r.status() == ScsiStatus.GOOD) {
            reply[VstorPacket.SRB_SRB_STATUS] = VstorPacket.SRB_STATUS_SUCCESS;
            reply[VstorPacket.SRB_SENSE_LENGTH] = 0;
            return VstorPacket.STATUS_SUCCESS;
        }
        boolean absent = r.sense().equals(SenseData.LUN_NOT_SUPPORTED) && bus.unit(address) == null;
        int srb = absent ? VstorPacket.SRB_STATUS_INVALID_LUN : VstorPacket.SRB_STATUS_ERROR;
        int copied = 0;
        if (autosense && senseLength > 0) {
            byte[] sense = r.sense().toFixedFormat();
            copied = Math.min(Math.min(senseLength, session.senseBufferSize()), sense.length);
            System.arraycopy(sense, 0, reply, VstorPacket.SRB_CDB, copied);
            srb |= VstorPacket.SRB_STATUS_AUTOSENSE_VALID;
        }
        reply[VstorPacket.SRB_SENSE_LENGTH] = (byte) copied;
        reply[VstorPacket.SRB_SRB_STATUS] = (byte) srb;
        return VstorPacket.STATUS_SUCCESS;
    }

    private static int invalidRequest(byte[] reply) {
        reply[VstorPacket.SRB_SRB_STATUS] = VstorPacket.SRB_STATUS_INVALID_REQUEST;
        reply[VstorPacket.SRB_SCSI_STATUS] = 0;
        reply[VstorPacket.SRB_SENSE_LENGTH] = 0;
        LittleEndian.put32(reply, VstorPacket.SRB_TRANSFER_LENGTH, 0);
        return VstorPacket.STATUS_INVALID_PARAMETER;
    }
}
