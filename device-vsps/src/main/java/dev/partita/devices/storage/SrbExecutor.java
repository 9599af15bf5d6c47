package dev.partita.devices.storage;

import dev.partita.devices.storage.scsi.DataBuffer;
import dev.partita.devices.storage.scsi.DataDirection;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiResult;
import dev.partita.devices.storage.scsi.ScsiStatus;
import dev.partita.devices.storage.scsi.SenseData;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.GpaDirectRange;

import java.util.Arrays;
import java.util.List;

/**
 * Executes one parsed SCSI request block: checks its transfer against the limit and the packet's
 * GPA-direct ranges, builds the data buffer, runs the CDB on the {@link ScsiBus} and reports the
 * outcome: SCSI status, SRB status ({@code SUCCESS}; {@code ERROR} or {@code INVALID_LUN} with the
 * autosense-valid bit and the sense data; {@code INVALID_REQUEST} when the request cannot run), and
 * the data transfer length actually moved.
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
     * Executes {@code srb} and says how it ended.
     *
     * @param ranges          the packet's GPA ranges, or null for an in-band packet
     * @param senseBufferSize size of the sense area in the session's protocol version
     */
    SrbCompletion execute(SrbRequest srb, List<GpaDirectRange> ranges, int senseBufferSize) {
        long transfer = srb.transferLength();
        if (transfer > maxTransferBytes || (transfer > 0 && ranges == null)) {
            return SrbCompletion.invalidRequest();
        }
        DataBuffer data;
        try {
            data = transfer == 0 ? DataBuffer.EMPTY : GuestPagesBuffer.of(memory, ranges, transfer);
        } catch (StorageProtocolException e) {
            System.getLogger(SrbExecutor.class.getName()).log(System.Logger.Level.DEBUG, () -> "SRB refused: " + e.getMessage());
            return SrbCompletion.invalidRequest();
        }
        DataDirection direction = srb.direction();
        ScsiResult r = bus.execute(srb.address(), srb.cdb(), direction, data); // stores into guest pages announce themselves

        if (r.status() == ScsiStatus.GOOD) {
            return new SrbCompletion(VstorPacket.STATUS_SUCCESS, VstorPacket.SRB_STATUS_SUCCESS, r.status(),
                    r.transferred(), new byte[0]);
        }
        boolean absent = r.sense().equals(SenseData.LUN_NOT_SUPPORTED) && bus.unit(srb.address()) == null;
        int srbStatus = absent ? VstorPacket.SRB_STATUS_INVALID_LUN : VstorPacket.SRB_STATUS_ERROR;
        byte[] sense = new byte[0];
        if (srb.autosense() && srb.senseLength() > 0) {
            byte[] fixed = r.sense().toFixedFormat();
            sense = Arrays.copyOf(fixed, Math.min(Math.min(srb.senseLength(), senseBufferSize), fixed.length));
            srbStatus |= VstorPacket.SRB_STATUS_AUTOSENSE_VALID;
        }
        return new SrbCompletion(VstorPacket.STATUS_SUCCESS, srbStatus, r.status(), r.transferred(), sense);
    }
}
