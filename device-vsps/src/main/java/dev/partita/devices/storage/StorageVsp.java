package dev.partita.devices.storage;

import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SCSI controller VSP: speaks the storvsc protocol (Linux's {@code hv_storvsc}) over a VMBus
 * channel and executes SCSI request blocks on a {@link ScsiBus}.
 *
 * <p>Protocol: in-band packets carry a vstor packet ({@link VstorPacket}); requests with data
 * arrive as GPA-direct packets whose ranges name guest pages. Initialisation is BEGIN, QUERY
 * PROTOCOL VERSION (6.2, 6.0, 5.1, 4.2, 2.0 accepted), QUERY PROPERTIES (no multi-channel, the
 * configured maximum transfer), END; each reply is a completion with operation COMPLETE_IO, a
 * status and the packet size of the agreed version. Later EXECUTE_SRB packets run their CDB and
 * complete with SCSI status, SRB status, sense data and the transfer length; RESET_BUS/ADAPTER/LUN
 * complete at once (requests run in order, so none is outstanding). Subchannels and Fibre Channel
 * data are refused with a status. A packet too short to hold an operation, or of a type other than
 * in-band / GPA-direct, closes the channel with the reason logged.
 *
 * <p><b>Threads.</b> {@link #onPacket} runs on the channel's VSP handler thread (never a vCPU
 * thread) and does the disk I/O there, directly into guest pages; packets queue in the rings, so
 * the guest keeps many requests in flight while one executes. {@link #notifyBusChanged()} may be
 * called from any thread. Nothing thrown while handling a packet escapes: an unexpected failure
 * closes that channel with the reason.
 */
public final class StorageVsp implements Vsp {
    /** storvsc interface type (HV_SCSI_GUID). */
    public static final UUID INTERFACE_TYPE = UUID.fromString("ba6163d9-04a1-4d29-b605-72e2ffb1dc7f");

    private static final System.Logger LOG = System.getLogger(StorageVsp.class.getName());

    private final VspOffer offer;
    private final ScsiBus bus;
    private final StorageVspConfig config;
    private final SrbExecutor srbs;
    private final Map<VspChannel, VstorSession> sessions = new ConcurrentHashMap<>();

    public StorageVsp(UUID instance, GuestMemory memory, ScsiBus bus, StorageVspConfig config) {
        this.offer = new VspOffer(INTERFACE_TYPE, instance, config.ringBytes(), config.ringBytes());
        this.bus = Objects.requireNonNull(bus);
        this.config = config;
        this.srbs = new SrbExecutor(Objects.requireNonNull(memory), bus, config.maxTransferBytes());
    }

    public ScsiBus bus() {
        return bus;
    }

    @Override
    public VspOffer offer() {
        return offer;
    }

    @Override
    public void open(VspChannel channel) {
        sessions.put(channel, new VstorSession());
    }

    @Override
    public void close(VspChannel channel) {
        sessions.remove(channel);
    }

    /**
     * Tells every initialised guest driver that logical units were added or removed
     * (ENUMERATE_BUS, unsolicited, transaction id 0): Linux then rescans the controller.
     */
    public void notifyBusChanged() {
        byte[] p = new byte[VstorPacket.SIZE];
        VstorPacket.put32(p, VstorPacket.OPERATION, VstorPacket.OP_ENUMERATE_BUS);
        sessions.forEach((ch, s) -> {
            if (s.state == VstorSession.State.READY) {
                ch.send(0, false, p, 0, s.packetSize());
            }
        });
    }

    @Override
    public void onPacket(VspChannel channel, PacketBuffer packet, boolean endOfBatch) {
        VstorSession session = sessions.get(channel);
        if (session == null) {
            channel.fail("storvsc packet on a channel that is not open");
            return;
        }
        try {
            switch (packet.type()) {
                case PacketType.DATA_IN_BAND -> handle(channel, session, packet, null);
                case PacketType.DATA_USING_GPA_DIRECT -> {
                    List<GpaRange> ranges;
                    try {
                        ranges = GpaRange.parse(packet.bytes(), packet.payloadOffset());
                    } catch (MalformedPacketException e) {
                        ranges = List.of();           // the SRB is answered INVALID_REQUEST below
                        LOG.log(System.Logger.Level.DEBUG, "relid " + channel.relid() + ": " + e.getMessage());
                    }
                    handle(channel, session, packet, ranges);
                }
                case PacketType.COMPLETION -> {
                    // the guest acknowledging something we sent: nothing is outstanding on our side
                }
                default -> channel.fail("storvsc: unexpected packet type " + packet.type());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "storvsc relid " + channel.relid() + " failed", e);
            channel.fail("storvsc: " + e);
        }
    }

    private void handle(VspChannel channel, VstorSession session, PacketBuffer packet, List<GpaRange> ranges) {
        int len = packet.payloadLength();
        if (len < VstorPacket.PAYLOAD) {
            channel.fail("storvsc: packet of " + len + " bytes is shorter than the 12-byte vstor header");
            return;
        }
        int size = session.packetSize();
        byte[] reply = Arrays.copyOfRange(packet.bytes(), packet.payloadOffset(), packet.payloadOffset() + size);
        if (len < size) {
            Arrays.fill(reply, len, size, (byte) 0);
        }
        int op = VstorPacket.u32(reply, VstorPacket.OPERATION);
        int status = switch (op) {
            case VstorPacket.OP_BEGIN_INITIALIZATION -> {
                session.version = null;
                session.state = VstorSession.State.INITIALIZING;
                yield VstorPacket.STATUS_SUCCESS;
            }
            case VstorPacket.OP_QUERY_PROTOCOL_VERSION -> queryVersion(session, reply, len);
            case VstorPacket.OP_QUERY_PROPERTIES -> queryProperties(session, reply);
            case VstorPacket.OP_END_INITIALIZATION -> {
                if (session.state != VstorSession.State.VERSIONED) {
                    yield VstorPacket.STATUS_INVALID_DEVICE_STATE;
                }
                session.state = VstorSession.State.READY;
                yield VstorPacket.STATUS_SUCCESS;
            }
            case VstorPacket.OP_EXECUTE_SRB -> {
                if (session.state != VstorSession.State.READY) {
                    yield VstorPacket.STATUS_INVALID_DEVICE_STATE;
                }
                if (len < size) {
                    reply[VstorPacket.SRB_SRB_STATUS] = VstorPacket.SRB_STATUS_INVALID_REQUEST;
                    yield VstorPacket.STATUS_INVALID_PARAMETER;
                }
                yield srbs.execute(reply, session, ranges);
            }
            case VstorPacket.OP_RESET_BUS, VstorPacket.OP_RESET_ADAPTER, VstorPacket.OP_RESET_LUN, VstorPacket.OP_ENUMERATE_BUS ->
                    session.state == VstorSession.State.READY ? VstorPacket.STATUS_SUCCESS : VstorPacket.STATUS_INVALID_DEVICE_STATE;
            case VstorPacket.OP_CREATE_SUB_CHANNELS, VstorPacket.OP_FCHBA_DATA -> VstorPacket.STATUS_NOT_SUPPORTED;
            case VstorPacket.OP_COMPLETE_IO, VstorPacket.OP_REMOVE_DEVICE -> VstorPacket.STATUS_INVALID_PARAMETER;
            default -> VstorPacket.STATUS_NOT_SUPPORTED;
        };
        if (!packet.completionRequested()) {
            return;                                   // the guest did not ask for an answer
        }
        VstorPacket.put32(reply, VstorPacket.OPERATION, VstorPacket.OP_COMPLETE_IO);
        VstorPacket.put32(reply, VstorPacket.STATUS, status);
        channel.complete(packet.transactionId(), reply, 0, session.packetSize());
    }

    private static int queryVersion(VstorSession session, byte[] reply, int len) {
        if (session.state != VstorSession.State.INITIALIZING && session.state != VstorSession.State.VERSIONED) {
            return VstorPacket.STATUS_INVALID_DEVICE_STATE;
        }
        if (len < VstorPacket.VERSION_REVISION) {
            return VstorPacket.STATUS_INVALID_PARAMETER;
        }
        VstorProtocolVersion v = VstorProtocolVersion.of(VstorPacket.u16(reply, VstorPacket.VERSION_MAJOR_MINOR));
        if (v == null) {
            return VstorPacket.STATUS_REVISION_MISMATCH;
        }
        session.version = v;
        session.state = VstorSession.State.VERSIONED;
        return VstorPacket.STATUS_SUCCESS;
    }

    private int queryProperties(VstorSession session, byte[] reply) {
        if (session.state != VstorSession.State.VERSIONED) {
            return VstorPacket.STATUS_INVALID_DEVICE_STATE;
        }
        Arrays.fill(reply, VstorPacket.PAYLOAD, reply.length, (byte) 0);
        VstorPacket.put16(reply, VstorPacket.PROPERTIES_MAX_CHANNEL_COUNT, 0);
        VstorPacket.put32(reply, VstorPacket.PROPERTIES_FLAGS, 0);       // no multi-channel
        VstorPacket.put32(reply, VstorPacket.PROPERTIES_MAX_TRANSFER_BYTES, config.maxTransferBytes());
        return VstorPacket.STATUS_SUCCESS;
    }

    /**
     * Saved state (version 1): per open channel, its relid, initialisation state and agreed
     * protocol version. The SCSI bus itself keeps no guest-visible volatile state (no pending
     * unit attention, no reservations).
     */
    @Override
    public byte[] saveState() {
        ByteBuffer b = ByteBuffer.allocate(8 + sessions.size() * 12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(sessions.size());
        sessions.forEach((ch, s) -> {
            VstorProtocolVersion v = s.version;
            b.putInt(ch.relid()).putInt(s.state.ordinal()).putInt(v == null ? 0 : v.wire());
        });
        return b.array();
    }

    /**
     * Restores {@link #saveState()} output for channels already re-opened with the same relids.
     * Every entry is checked before any is applied: a state the protocol cannot reach (an agreed
     * version this VSP does not speak, a version before one was agreed, none after) is refused
     * with {@link IllegalArgumentException} and changes nothing.
     */
    @Override
    public void restoreState(byte[] state) {
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        if (state.length < 8 || b.getInt() != 1) {
            throw new IllegalArgumentException("storvsc saved state: unknown format");
        }
        int n = b.getInt();
        if (n < 0 || n > (state.length - 8) / 12) {
            throw new IllegalArgumentException("storvsc saved state: bad channel count " + n);
        }
        int[] relids = new int[n];
        VstorSession.State[] states = new VstorSession.State[n];
        VstorProtocolVersion[] versions = new VstorProtocolVersion[n];
        for (int i = 0; i < n; i++) {
            relids[i] = b.getInt();
            int st = b.getInt();
            int wire = b.getInt();
            if (st < 0 || st >= VstorSession.State.values().length) {
                throw new IllegalArgumentException("storvsc saved state: bad state " + st);
            }
            states[i] = VstorSession.State.values()[st];
            versions[i] = VstorProtocolVersion.of(wire);
            boolean agreed = states[i] == VstorSession.State.VERSIONED || states[i] == VstorSession.State.READY;
            if (agreed ? versions[i] == null : wire != 0) {
                throw new IllegalArgumentException("storvsc saved state: protocol version 0x" + Integer.toHexString(wire)
                        + " in state " + states[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            int k = i;
            sessions.forEach((ch, s) -> {
                if (ch.relid() == relids[k]) {
                    s.state = states[k];
                    s.version = versions[k];
                }
            });
        }
    }
}
