package dev.partita.devices.storage;

import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.devices.storage.scsi.DataDirection;
import dev.partita.devices.storage.scsi.ScsiAddress;

import java.util.Arrays;

/**
 * A vstor packet from the guest, parsed once where it leaves the ring: one record per operation,
 * carrying the fields that operation uses. The VSP's logic switches over these and never reads
 * packet offsets; {@link #parse} is the only reader of the request layout ({@link VstorPacket}).
 *
 * <p><b>Threads.</b> Immutable values; parsed on the channel's handler thread.
 */
sealed interface VstorRequest {
    /** BEGIN_INITIALIZATION: start (or restart) the handshake. */
    record BeginInitialization() implements VstorRequest {
    }

    /** QUERY_PROTOCOL_VERSION proposing {@code version} (major << 8 | minor). */
    record QueryProtocolVersion(int version) implements VstorRequest {
    }

    /** QUERY_PROPERTIES. */
    record QueryProperties() implements VstorRequest {
    }

    /** END_INITIALIZATION. */
    record EndInitialization() implements VstorRequest {
    }

    /** EXECUTE_SRB with a well-formed SCSI request block. */
    record ExecuteSrb(SrbRequest srb) implements VstorRequest {
    }

    /** EXECUTE_SRB whose request block cannot be run (answered with SRB status INVALID_REQUEST). */
    record InvalidSrb(String reason) implements VstorRequest {
    }

    /** RESET_LUN, RESET_ADAPTER or RESET_BUS ({@code operation} says which). */
    record Reset(int operation) implements VstorRequest {
    }

    /** ENUMERATE_BUS sent by the guest. */
    record EnumerateBus() implements VstorRequest {
    }

    /** An operation this VSP does not offer (subchannels, Fibre Channel data, unknown codes). */
    record Unsupported(int operation) implements VstorRequest {
    }

    /** An operation only the host sends (COMPLETE_IO, REMOVE_DEVICE). */
    record HostOperation(int operation) implements VstorRequest {
    }

    /** A known operation whose packet is too short for its fields. */
    record Truncated(int operation, int length) implements VstorRequest {
    }

    /**
     * Parses the {@code len}-byte vstor packet at {@code off} of {@code b}; {@code packetSize} is the
     * size of the session's protocol version, which an SRB must fill.
     *
     * @throws StorageProtocolException ({@link StorageProtocolException.Reason#TRUNCATED_PACKET}) when
     *                                  the packet is too short to hold an operation
     */
    static VstorRequest parse(byte[] b, int off, int len, int packetSize) throws StorageProtocolException {
        if (len < VstorPacket.PAYLOAD || off < 0 || off + len > b.length) {
            throw new StorageProtocolException(StorageProtocolException.Reason.TRUNCATED_PACKET,
                    "packet of " + len + " bytes is shorter than the 12-byte vstor header");
        }
        int op = LittleEndian.u32(b, off + VstorPacket.OPERATION);
        return switch (op) {
            case VstorPacket.OP_BEGIN_INITIALIZATION -> new BeginInitialization();
            case VstorPacket.OP_QUERY_PROTOCOL_VERSION -> len < VstorPacket.VERSION_REVISION
                    ? new Truncated(op, len)
                    : new QueryProtocolVersion(LittleEndian.u16(b, off + VstorPacket.VERSION_MAJOR_MINOR));
            case VstorPacket.OP_QUERY_PROPERTIES -> new QueryProperties();
            case VstorPacket.OP_END_INITIALIZATION -> new EndInitialization();
            case VstorPacket.OP_EXECUTE_SRB -> len < packetSize
                    ? new InvalidSrb("SRB packet of " + len + " bytes, the protocol's packet is " + packetSize)
                    : parseSrb(b, off, packetSize);
            case VstorPacket.OP_RESET_LUN, VstorPacket.OP_RESET_ADAPTER, VstorPacket.OP_RESET_BUS -> new Reset(op);
            case VstorPacket.OP_ENUMERATE_BUS -> new EnumerateBus();
            case VstorPacket.OP_COMPLETE_IO, VstorPacket.OP_REMOVE_DEVICE -> new HostOperation(op);
            default -> new Unsupported(op);
        };
    }

    private static VstorRequest parseSrb(byte[] b, int off, int packetSize) {
        int cdbLength = LittleEndian.u8(b, off + VstorPacket.SRB_CDB_LENGTH);
        if (cdbLength == 0 || cdbLength > VstorPacket.SRB_CDB_MAX) {
            return new InvalidSrb("CDB length " + cdbLength + " (1.." + VstorPacket.SRB_CDB_MAX + " accepted)");
        }
        int dataIn = LittleEndian.u8(b, off + VstorPacket.SRB_DATA_IN);
        DataDirection direction = switch (dataIn) {
            case VstorPacket.DATA_IN_WRITE -> DataDirection.TO_DEVICE;
            case VstorPacket.DATA_IN_READ -> DataDirection.FROM_DEVICE;
            case VstorPacket.DATA_IN_NONE -> DataDirection.NONE;
            default -> null;
        };
        if (direction == null) {
            return new InvalidSrb("data direction " + dataIn);
        }
        // The Windows 8 extension holds the SRB flags; without it autosense is always on.
        boolean autosense = packetSize < VstorPacket.SIZE
                || (LittleEndian.u32(b, off + VstorPacket.SRB_FLAGS) & VstorPacket.SRB_FLAGS_DISABLE_AUTOSENSE) == 0;
        ScsiAddress address = new ScsiAddress(LittleEndian.u8(b, off + VstorPacket.SRB_PATH),
                LittleEndian.u8(b, off + VstorPacket.SRB_TARGET), LittleEndian.u8(b, off + VstorPacket.SRB_LUN));
        byte[] cdb = Arrays.copyOfRange(b, off + VstorPacket.SRB_CDB, off + VstorPacket.SRB_CDB + cdbLength);
        return new ExecuteSrb(new SrbRequest(address, cdb, direction,
                LittleEndian.u8(b, off + VstorPacket.SRB_SENSE_LENGTH),
                Integer.toUnsignedLong(LittleEndian.u32(b, off + VstorPacket.SRB_TRANSFER_LENGTH)), autosense));
    }
}
