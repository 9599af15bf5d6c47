package dev.partita.devices.storage;

import dev.partita.vmbus.protocol.LittleEndian;


/**
 * Layout of the storvsc protocol packet ({@code struct vstor_packet}, 64 bytes for protocol 5.1 and
 * later, 48 for 2.0 / 4.2 which lack the Windows 8 SRB extension): operation u32 @0, flags u32 @4,
 * status u32 @8 (an NTSTATUS), payload @12. Offsets below are from the packet start. Values are
 * little-endian. C names from Linux's {@code storvsc_drv.c}.
 */
public final class VstorPacket {
    private VstorPacket() {
    }

    public static final int SIZE = 64;                     // sizeof(struct vstor_packet)
    public static final int WIN8_EXTENSION_SIZE = 16;      // sizeof(struct vmscsi_win8_extension), the "size delta"

    public static final int OPERATION = 0;
    public static final int FLAGS = 4;
    public static final int STATUS = 8;
    public static final int PAYLOAD = 12;

    /** {@code REQUEST_COMPLETION_FLAG} in the flags field. */
    public static final int FLAG_REQUEST_COMPLETION = 1;

    // ---- operations (enum vstor_packet_operation) ----
    public static final int OP_COMPLETE_IO = 1;
    public static final int OP_REMOVE_DEVICE = 2;
    public static final int OP_EXECUTE_SRB = 3;
    public static final int OP_RESET_LUN = 4;
    public static final int OP_RESET_ADAPTER = 5;
    public static final int OP_RESET_BUS = 6;
    public static final int OP_BEGIN_INITIALIZATION = 7;
    public static final int OP_END_INITIALIZATION = 8;
    public static final int OP_QUERY_PROTOCOL_VERSION = 9;
    public static final int OP_QUERY_PROPERTIES = 10;
    public static final int OP_ENUMERATE_BUS = 11;
    public static final int OP_FCHBA_DATA = 12;
    public static final int OP_CREATE_SUB_CHANNELS = 13;

    // ---- struct vmstorage_protocol_version ----
    public static final int VERSION_MAJOR_MINOR = 12;      // u16, major << 8 | minor
    public static final int VERSION_REVISION = 14;         // u16

    // ---- struct vmstorage_channel_properties ----
    public static final int PROPERTIES_MAX_CHANNEL_COUNT = 16;   // u16
    public static final int PROPERTIES_FLAGS = 20;               // u32; bit 0 STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL
    public static final int PROPERTIES_MAX_TRANSFER_BYTES = 24;  // u32

    // ---- struct vmscsi_request ----
    public static final int SRB_LENGTH = 12;               // u16
    public static final int SRB_SRB_STATUS = 14;           // u8
    public static final int SRB_SCSI_STATUS = 15;          // u8
    public static final int SRB_PORT = 16;                 // u8 port_number
    public static final int SRB_PATH = 17;                 // u8 path_id
    public static final int SRB_TARGET = 18;               // u8 target_id
    public static final int SRB_LUN = 19;                  // u8
    public static final int SRB_CDB_LENGTH = 20;           // u8
    public static final int SRB_SENSE_LENGTH = 21;         // u8 sense_info_length
    public static final int SRB_DATA_IN = 22;              // u8: 0 write, 1 read, 2 no data
    public static final int SRB_TRANSFER_LENGTH = 24;      // u32 data_transfer_length
    public static final int SRB_CDB = 28;                  // u8[16], union with sense_data[20]
    public static final int SRB_CDB_MAX = 16;              // STORVSC_MAX_CMD_LEN
    public static final int SRB_SENSE_MAX = 20;            // STORVSC_SENSE_BUFFER_SIZE (0x12 before protocol 5.1)
    public static final int SRB_QUEUE_TAG = 50;            // u8 (Windows 8 extension)
    public static final int SRB_FLAGS = 52;                // u32 srb_flags (Windows 8 extension)
    public static final int SRB_TIMEOUT = 56;              // u32 time_out_value

    public static final int DATA_IN_WRITE = 0;             // WRITE_TYPE
    public static final int DATA_IN_READ = 1;              // READ_TYPE
    public static final int DATA_IN_NONE = 2;              // UNKNOWN_TYPE

    /** {@code SRB_FLAGS_DISABLE_AUTOSENSE}. */
    public static final int SRB_FLAGS_DISABLE_AUTOSENSE = 0x20;

    // ---- SRB status byte ----
    public static final int SRB_STATUS_SUCCESS = 0x01;
    public static final int SRB_STATUS_ABORTED = 0x02;
    public static final int SRB_STATUS_ERROR = 0x04;
    public static final int SRB_STATUS_INVALID_REQUEST = 0x06;
    public static final int SRB_STATUS_DATA_OVERRUN = 0x12;
    public static final int SRB_STATUS_INVALID_LUN = 0x20;
    public static final int SRB_STATUS_INTERNAL_ERROR = 0x30;
    public static final int SRB_STATUS_AUTOSENSE_VALID = 0x80;

    // ---- NTSTATUS values in the status field ----
    public static final int STATUS_SUCCESS = 0;
    public static final int STATUS_UNSUCCESSFUL = 0xC0000001;
    public static final int STATUS_INVALID_PARAMETER = 0xC000000D;
    public static final int STATUS_REVISION_MISMATCH = 0xC0000059;
    public static final int STATUS_NOT_SUPPORTED = 0xC00000BB;
    public static final int STATUS_INVALID_DEVICE_STATE = 0xC0000184;
}
