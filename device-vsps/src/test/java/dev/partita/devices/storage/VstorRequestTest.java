package dev.partita.devices.storage;

import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.devices.storage.scsi.DataDirection;
import dev.partita.devices.storage.scsi.ScsiAddress;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guest vstor packets become one record per operation, with every field the logic needs parsed. */
class VstorRequestTest {
    private static VstorRequest parse(byte[] p, int packetSize) throws StorageProtocolException {
        byte[] framed = new byte[p.length + 16];                 // the payload sits after a descriptor
        System.arraycopy(p, 0, framed, 16, p.length);
        return VstorRequest.parse(framed, 16, p.length, packetSize);
    }

    @Test
    void handshakeOperationsAndTheProposedVersion() throws Exception {
        assertInstanceOf(VstorRequest.BeginInitialization.class, parse(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION), 64));
        assertEquals(new VstorRequest.QueryProtocolVersion(0x0501), parse(Vstor.version(0x0501), 64));
        assertInstanceOf(VstorRequest.QueryProperties.class, parse(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES), 64));
        assertInstanceOf(VstorRequest.EndInitialization.class, parse(Vstor.op(VstorPacket.OP_END_INITIALIZATION), 64));
        assertEquals(new VstorRequest.Reset(VstorPacket.OP_RESET_LUN), parse(Vstor.op(VstorPacket.OP_RESET_LUN), 64));
        assertEquals(new VstorRequest.Unsupported(VstorPacket.OP_CREATE_SUB_CHANNELS),
                parse(Vstor.op(VstorPacket.OP_CREATE_SUB_CHANNELS), 64));
        assertEquals(new VstorRequest.Unsupported(0x1234), parse(Vstor.op(0x1234), 64));
        assertEquals(new VstorRequest.HostOperation(VstorPacket.OP_REMOVE_DEVICE), parse(Vstor.op(VstorPacket.OP_REMOVE_DEVICE), 64));
        assertEquals(new VstorRequest.Truncated(VstorPacket.OP_QUERY_PROTOCOL_VERSION, 13),
                parse(java.util.Arrays.copyOf(Vstor.version(0x0602), 13), 64));
    }

    @Test
    void srbFieldsAreParsed() throws Exception {
        byte[] cdb = {0x28, 0, 0, 0, 0, 16, 0, 0, 8, 0};
        byte[] p = Vstor.srb(1, 2, 3, cdb, VstorPacket.DATA_IN_READ, 4096);
        SrbRequest srb = ((VstorRequest.ExecuteSrb) parse(p, 64)).srb();
        assertEquals(new ScsiAddress(1, 2, 3), srb.address());
        assertArrayEquals(cdb, srb.cdb());
        assertEquals(DataDirection.FROM_DEVICE, srb.direction());
        assertEquals(VstorPacket.SRB_SENSE_MAX, srb.senseLength());
        assertEquals(4096, srb.transferLength());
        assertTrue(srb.autosense());

        LittleEndian.put32(p, VstorPacket.SRB_FLAGS, VstorPacket.SRB_FLAGS_DISABLE_AUTOSENSE);
        LittleEndian.put32(p, VstorPacket.SRB_TRANSFER_LENGTH, -1);
        srb = ((VstorRequest.ExecuteSrb) parse(p, 64)).srb();
        assertFalse(srb.autosense());
        assertEquals(0xFFFF_FFFFL, srb.transferLength(), "transfer length is unsigned");
        srb = ((VstorRequest.ExecuteSrb) parse(java.util.Arrays.copyOf(p, 48), 48)).srb();
        assertTrue(srb.autosense(), "the short packet has no SRB flags: autosense stays on");
    }

    @Test
    void srbsThatCannotRunAreParsedAsInvalid() throws Exception {
        assertInstanceOf(VstorRequest.InvalidSrb.class,
                parse(Vstor.srb(0, 0, 0, new byte[0], VstorPacket.DATA_IN_NONE, 0), 64), "no CDB");
        byte[] longCdb = Vstor.srb(0, 0, 0, new byte[6], VstorPacket.DATA_IN_NONE, 0);
        longCdb[VstorPacket.SRB_CDB_LENGTH] = 17;
        assertInstanceOf(VstorRequest.InvalidSrb.class, parse(longCdb, 64), "CDB longer than 16");
        assertInstanceOf(VstorRequest.InvalidSrb.class,
                parse(Vstor.srb(0, 0, 0, new byte[6], 3, 0), 64), "unknown data direction");
        assertInstanceOf(VstorRequest.InvalidSrb.class,
                parse(java.util.Arrays.copyOf(Vstor.srb(0, 0, 0, new byte[6], VstorPacket.DATA_IN_NONE, 0), 48), 64),
                "shorter than the agreed packet");
    }

    @Test
    void aPacketWithoutAnOperationIsAProtocolError() {
        StorageProtocolException e = assertThrows(StorageProtocolException.class, () -> parse(new byte[11], 64));
        assertEquals(StorageProtocolException.Reason.TRUNCATED_PACKET, e.reason());
        assertThrows(StorageProtocolException.class, () -> VstorRequest.parse(new byte[20], 16, 12, 64), "length past the array");
    }
}
