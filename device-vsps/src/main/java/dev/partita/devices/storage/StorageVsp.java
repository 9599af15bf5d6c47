package dev.partita.devices.storage;

import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketRanges;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;

import java.util.LinkedHashMap;
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
 * <p>Each packet is parsed once into a {@link VstorRequest}; the channel's {@link VstorSession}
 * value (opened, initializing, versioned, ready) decides how it is answered and what the session
 * becomes. Replies are written by {@link VstorReply}.
 *
 * <p><b>Threads.</b> {@link #onPacket} runs on the channel's VSP handler thread and does the disk
 * I/O there, directly into guest pages; packets queue in the rings, so the guest keeps many
 * requests in flight while one executes. With {@link StorageVspConfig#inline()} it may also run on
 * the guest's signalling vCPU thread when the channel has nothing queued (calls never overlap). {@link #notifyBusChanged()} may be
 * called from any thread. Nothing thrown while handling a packet escapes: an unexpected failure
 * closes that channel with the reason.
 */
public final class StorageVsp implements Vsp {
    /** storvsc interface type (HV_SCSI_GUID). */
    public static final UUID INTERFACE_TYPE = UUID.fromString("ba6163d9-04a1-4d29-b605-72e2ffb1dc7f");

    private static final System.Logger LOG = System.getLogger(StorageVsp.class.getName());
    /** Ranges per GPA-direct packet this VSP accepts (Linux sends one). */
    static final int MAX_RANGES = 64;

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
    public boolean completesInline() {
        return config.inline();
    }

    @Override
    public void open(VspChannel channel) {
        sessions.put(channel, VstorSession.OPENED);
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
        byte[] p = VstorReply.enumerateBus();
        sessions.forEach((ch, s) -> {
            if (s instanceof VstorSession.Ready) {
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
                case PacketType.DATA_USING_GPA_DIRECT -> handle(channel, session, packet, ranges(channel, packet.ranges()));
                case PacketType.COMPLETION -> {
                    // the guest acknowledging something we sent: nothing is outstanding on our side
                }
                default -> channel.fail("storvsc: unexpected packet type " + packet.type());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, () -> "storvsc relid " + channel.relid() + " failed", e);
            channel.fail("storvsc: " + e);
        }
    }

    /**
     * The ranges of a GPA-direct packet as the ring reader parsed them; an empty list (the SRB is
     * then answered INVALID_REQUEST) for a malformed range list or more than {@value #MAX_RANGES} ranges.
     */
    private static List<GpaDirectRange> ranges(VspChannel channel, PacketRanges parsed) {
        return switch (parsed) {
            case PacketRanges.Ranges r when r.ranges().size() <= MAX_RANGES -> r.ranges();
            case PacketRanges.Ranges r -> {
                LOG.log(System.Logger.Level.DEBUG, () -> "relid " + channel.relid() + ": " + r.ranges().size()
                        + " ranges (at most " + MAX_RANGES + " accepted)");
                yield List.of();
            }
            case PacketRanges.Malformed m -> {
                LOG.log(System.Logger.Level.DEBUG, () -> "relid " + channel.relid() + ": " + m.reason());
                yield List.of();
            }
            case PacketRanges.None n -> List.of();
        };
    }

    private void handle(VspChannel channel, VstorSession session, PacketBuffer packet, List<GpaDirectRange> ranges) {
        int size = session.packetSize();
        VstorRequest request;
        try {
            request = VstorRequest.parse(packet.bytes(), packet.payloadOffset(), packet.payloadLength(), size);
        } catch (StorageProtocolException e) {
            channel.fail("storvsc: " + e.getMessage());
            return;
        }
        // Room for the largest packet: a completion has the size of the version in force after the
        // request, which BEGIN_INITIALIZATION or QUERY_PROTOCOL_VERSION may have changed.
        byte[] reply = VstorReply.echo(packet.bytes(), packet.payloadOffset(), packet.payloadLength(), VstorPacket.SIZE);
        boolean ready = session instanceof VstorSession.Ready;
        VstorSession next = session;
        int status = switch (request) {
            case VstorRequest.BeginInitialization b -> {
                next = VstorSession.INITIALIZING;
                yield VstorPacket.STATUS_SUCCESS;
            }
            case VstorRequest.QueryProtocolVersion q -> {
                if (!(session instanceof VstorSession.Initializing || session instanceof VstorSession.Versioned)) {
                    yield VstorPacket.STATUS_INVALID_DEVICE_STATE;
                }
                VstorProtocolVersion v = VstorProtocolVersion.of(q.version());
                if (v == null) {
                    yield VstorPacket.STATUS_REVISION_MISMATCH;
                }
                next = new VstorSession.Versioned(v);
                yield VstorPacket.STATUS_SUCCESS;
            }
            case VstorRequest.QueryProperties p -> {
                if (!(session instanceof VstorSession.Versioned)) {
                    yield VstorPacket.STATUS_INVALID_DEVICE_STATE;
                }
                VstorReply.properties(reply, config.maxTransferBytes());
                yield VstorPacket.STATUS_SUCCESS;
            }
            case VstorRequest.EndInitialization e -> {
                if (!(session instanceof VstorSession.Versioned v)) {
                    yield VstorPacket.STATUS_INVALID_DEVICE_STATE;
                }
                next = new VstorSession.Ready(v.version());
                yield VstorPacket.STATUS_SUCCESS;
            }
            case VstorRequest.ExecuteSrb x -> {
                if (!ready) {
                    yield VstorPacket.STATUS_INVALID_DEVICE_STATE;
                }
                SrbCompletion c = srbs.execute(x.srb(), ranges, session.senseBufferSize());
                VstorReply.srb(reply, c, session.senseBufferSize());
                yield c.status();
            }
            case VstorRequest.InvalidSrb x -> {
                if (!ready) {
                    yield VstorPacket.STATUS_INVALID_DEVICE_STATE;
                }
                LOG.log(System.Logger.Level.DEBUG, "relid " + channel.relid() + ": SRB refused: " + x.reason());
                SrbCompletion c = SrbCompletion.invalidRequest();
                VstorReply.srb(reply, c, session.senseBufferSize());
                yield c.status();
            }
            case VstorRequest.Reset r -> ready ? VstorPacket.STATUS_SUCCESS : VstorPacket.STATUS_INVALID_DEVICE_STATE;
            case VstorRequest.EnumerateBus e -> ready ? VstorPacket.STATUS_SUCCESS : VstorPacket.STATUS_INVALID_DEVICE_STATE;
            case VstorRequest.Truncated t -> VstorPacket.STATUS_INVALID_PARAMETER;
            case VstorRequest.HostOperation h -> VstorPacket.STATUS_INVALID_PARAMETER;
            case VstorRequest.Unsupported u -> VstorPacket.STATUS_NOT_SUPPORTED;
        };
        if (next != session) {
            sessions.replace(channel, next);
        }
        if (!packet.completionRequested()) {
            return;                                   // the guest did not ask for an answer
        }
        VstorReply.complete(reply, status);
        channel.complete(packet.transactionId(), reply, 0, next.packetSize());
    }

    /**
     * Saved state: per open channel, its relid and session (initialisation state and agreed
     * protocol version), in the format {@link VstorSessionsState} describes. The SCSI bus itself
     * keeps no guest-visible volatile state (no pending unit attention, no reservations).
     */
    @Override
    public byte[] saveState() {
        Map<Integer, VstorSession> byRelid = new LinkedHashMap<>();
        sessions.forEach((ch, s) -> byRelid.put(ch.relid(), s));
        return VstorSessionsState.write(byRelid);
    }

    /**
     * Restores {@link #saveState()} output for channels already re-opened with the same relids.
     *
     * @throws IllegalArgumentException when the state is malformed (its cause is the
     *                                  {@link StorageProtocolException} naming the bad value); no
     *                                  session is changed then
     */
    @Override
    public void restoreState(byte[] state) {
        Map<Integer, VstorSession> byRelid;
        try {
            byRelid = VstorSessionsState.read(state);
        } catch (StorageProtocolException e) {
            throw new IllegalArgumentException("storvsc: " + e.getMessage(), e);
        }
        sessions.replaceAll((ch, s) -> byRelid.getOrDefault(ch.relid(), s));
    }
}
