package dev.partita.vmbus;

import dev.partita.hv.hyperv.HvStatus;
import dev.partita.hv.hyperv.SynicConnectionHandler;
import dev.partita.hv.hyperv.SynicDelivery;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.channel.ChannelFailureListener;
import dev.partita.vmbus.channel.ChannelPipeline;
import dev.partita.vmbus.gpadl.Gpadl;
import dev.partita.vmbus.gpadl.GpadlAssembler;
import dev.partita.vmbus.gpadl.GpadlException;
import dev.partita.vmbus.protocol.ChannelMessage;
import dev.partita.vmbus.protocol.ChannelMessage.*;
import dev.partita.vmbus.protocol.ChannelMessageCodec;
import dev.partita.vmbus.protocol.ChannelMessageType;
import dev.partita.vmbus.protocol.MalformedMessageException;
import dev.partita.vmbus.protocol.VmbusVersion;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;
import dev.partita.vmbus.ring.RingWriter;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspOffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The VMBus channel-management state machine of one partition (versions 2.4-5.3): contact and
 * version negotiation, offers, GPADL assembly and teardown, open/close, rescind, unload. Replies
 * go through {@link SynicDelivery#postMessage} to the processor and SINT the guest named in
 * INITIATE_CONTACT.
 *
 * <p>Every guest value is checked; a malformed or out-of-state message is dropped with a log line
 * (and, where the guest waits for an answer it can match, answered with a failure status).
 * {@link #handleMessage} never throws.
 *
 * <p><b>Threads.</b> {@link #handleMessage}, {@link #offer}, {@link #rescind}, {@link #channelFailed}
 * and {@link #reset} must be called from one thread at a time (the bus's control thread, or a
 * test). {@link #onSignal} is called from vCPU threads and only reads concurrent structures.
 */
public final class ChannelManager {
    private static final System.Logger LOG = System.getLogger(ChannelManager.class.getName());
    /** Failure status for GPADL_CREATED / OPENCHANNEL_RESULT (STATUS_UNSUCCESSFUL). */
    public static final int STATUS_FAILURE = 0xC0000001;
    /** First per-channel connection id; channel n signals on CHANNEL_CONNECTION_BASE + n. */
    public static final int CHANNEL_CONNECTION_BASE = 0x10000;
    private static final int MAX_PENDING_GPADLS = 64;
    private static final int MAX_RELID = 2047;

    private final GuestMemory memory;
    private final SynicDelivery synic;
    private final SynicPort port;
    private final VmBusTuning tuning;
    private final ChannelFailureListener failures;
    private final Map<Integer, OfferedChannel> channels = new LinkedHashMap<>();
    private final Map<Integer, OfferedChannel> byConnection = new ConcurrentHashMap<>();
    private final Map<Integer, Gpadl> gpadls = new HashMap<>();
    private final Map<Integer, GpadlAssembler> pendingGpadls = new HashMap<>();
    private final List<String> droppedLog = new ArrayList<>();
    private final SynicConnectionHandler channelSignals = new ChannelSignalHandler();
    private boolean connected;
    private boolean offersRequested;
    private int version;
    private int targetVcpu;
    private int messageSint = VmbusVersion.MESSAGE_SINT;
    private int nextRelid = 1;

    /**
     * @param failures told (from any thread) when a pipeline stops for a fault; it must arrange for
     *                 {@link #channelFailed} to run on the manager's thread
     */
    public ChannelManager(GuestMemory memory, SynicPort port, VmBusTuning tuning, ChannelFailureListener failures) {
        this.memory = memory;
        this.port = port;
        this.synic = port.synic();
        this.tuning = tuning;
        this.failures = failures;
    }

    // ---- host API ----

    /** Adds a channel for {@code vsp}; offered at once when the guest already asked for offers. Returns its relid. */
    public int offer(Vsp vsp) {
        if (nextRelid > MAX_RELID) {
            throw new IllegalStateException("no relid left for another channel (max " + MAX_RELID + ")");
        }
        VspOffer o = vsp.offer();
        int relid = nextRelid++;
        OfferedChannel ch = new OfferedChannel(relid, CHANNEL_CONNECTION_BASE + relid, vsp);
        channels.put(relid, ch);
        byConnection.put(ch.connectionId, ch);
        port.registerConnection(ch.connectionId, channelSignals);
        if (connected && offersRequested) {
            post(offerMessage(ch, o));
        }
        return relid;
    }

    /** Closes (if open) and rescinds channel {@code relid}. */
    public void rescind(int relid, String reason) {
        OfferedChannel ch = channels.get(relid);
        if (ch == null || ch.state == ChannelState.RESCINDED) {
            return;
        }
        stopPipeline(ch);
        ch.closeReason = reason;
        ch.state = ChannelState.RESCINDED;
        if (connected) {
            post(new RescindChannelOffer(relid));
        } else {
            remove(ch);
        }
    }

    /** A pipeline reported a fault: close that channel and rescind its offer (the guest sees the device go away). */
    public void channelFailed(int relid, ChannelPipeline pipeline, String reason) {
        OfferedChannel ch = channels.get(relid);
        if (ch == null || ch.pipeline != pipeline) {
            return; // already closed or reopened since
        }
        rescind(relid, reason);
    }

    /** Closes every channel and forgets the connection (as on UNLOAD); offers stay for the next contact. */
    public void reset() {
        for (OfferedChannel ch : List.copyOf(channels.values())) {
            stopPipeline(ch);
            if (ch.state == ChannelState.RESCINDED) {
                remove(ch);
            }
        }
        gpadls.clear();
        pendingGpadls.clear();
        connected = false;
        offersRequested = false;
    }

    /** {@link #reset()}, then forgets every channel and unregisters its connection id (bus shutdown). */
    public void shutdown() {
        reset();
        for (OfferedChannel ch : List.copyOf(channels.values())) {
            remove(ch);
        }
    }

    // ---- queries (manager thread) ----

    public boolean isConnected() {
        return connected;
    }

    /** The negotiated version (valid while connected). */
    public int version() {
        return version;
    }

    public ChannelState state(int relid) {
        OfferedChannel ch = channels.get(relid);
        return ch == null ? null : ch.state;
    }

    /** Why channel {@code relid} was closed by the root, or null. */
    public String closeReason(int relid) {
        OfferedChannel ch = channels.get(relid);
        return ch == null ? null : ch.closeReason;
    }

    public int connectionId(int relid) {
        OfferedChannel ch = channels.get(relid);
        return ch == null ? -1 : ch.connectionId;
    }

    public boolean hasGpadl(int id) {
        return gpadls.containsKey(id);
    }

    public int gpadlCount() {
        return gpadls.size();
    }

    /** Log lines of dropped messages (most recent 100). */
    public List<String> dropped() {
        return List.copyOf(droppedLog);
    }

    // ---- guest → host ----

    /** The per-channel HvSignalEvent path. Any vCPU thread; never blocks. */
    public int onSignal(int vp, int connectionId, int flag) {
        OfferedChannel ch = byConnection.get(connectionId);
        if (ch == null) {
            return HvStatus.INVALID_CONNECTION_ID;
        }
        ChannelPipeline p = ch.pipeline;
        if (p != null) {
            p.onGuestSignal();
        }
        return HvStatus.SUCCESS;
    }

    private final class ChannelSignalHandler implements SynicConnectionHandler {
        @Override
        public int onPostMessage(int vpIndex, int connectionId, int messageType, byte[] payload) {
            return HvStatus.INVALID_CONNECTION_ID; // channel connection ids carry events only
        }

        @Override
        public int onSignalEvent(int vpIndex, int connectionId, int flagNumber) {
            return onSignal(vpIndex, connectionId, flagNumber);
        }
    }

    /** One management message the guest posted on {@code connectionId}. Never throws. */
    public void handleMessage(int vp, int connectionId, int messageType, byte[] payload) {
        try {
            if (messageType != ChannelMessageType.SYNIC_MESSAGE_TYPE) {
                drop("SynIC message type " + messageType + " on connection " + connectionId);
                return;
            }
            ChannelMessage m = ChannelMessageCodec.decode(payload);
            if (!(m instanceof InitiateContact) && !(m instanceof Unload) && !connected) {
                drop(m.getClass().getSimpleName() + " before INITIATE_CONTACT");
                return;
            }
            switch (m) {
                case InitiateContact c -> initiateContact(connectionId, c);
                case RequestOffers r -> requestOffers();
                case GpadlHeader h -> gpadlHeader(h);
                case GpadlBody b -> gpadlBody(b);
                case GpadlTeardown t -> gpadlTeardown(t);
                case OpenChannel o -> openChannel(o);
                case CloseChannel c -> closeChannel(c);
                case RelidReleased r -> relidReleased(r);
                case Unload u -> unload();
                case VersionResponse r -> drop("host-to-guest message VERSION_RESPONSE from the guest");
                case OfferChannel o -> drop("host-to-guest message OFFERCHANNEL from the guest");
                case AllOffersDelivered a -> drop("host-to-guest message ALLOFFERS_DELIVERED from the guest");
                case GpadlCreated g -> drop("host-to-guest message GPADL_CREATED from the guest");
                case OpenChannelResult r -> drop("host-to-guest message OPENCHANNEL_RESULT from the guest");
                case GpadlTorndown t -> drop("host-to-guest message GPADL_TORNDOWN from the guest");
                case RescindChannelOffer r -> drop("host-to-guest message RESCIND_CHANNELOFFER from the guest");
                case UnloadResponse r -> drop("host-to-guest message UNLOAD_RESPONSE from the guest");
                case Unhandled u -> drop("unhandled channel message type " + u.type() + " (" + u.length() + " bytes)");
            }
        } catch (MalformedMessageException e) {
            drop(e.getMessage());
        } catch (RuntimeException e) {
            drop("handling a " + payload.length + "-byte message failed: " + e);
        }
    }

    private void initiateContact(int connectionId, InitiateContact c) {
        boolean v5 = c.version() >= VmbusVersion.V5_0;
        int expectedConnection = v5 ? VmbusVersion.MESSAGE_CONNECTION_ID_4 : VmbusVersion.MESSAGE_CONNECTION_ID;
        if (connectionId != expectedConnection) {
            drop("INITIATE_CONTACT for " + VmbusVersion.format(c.version()) + " on connection " + connectionId);
            return;
        }
        int sint = v5 ? c.messageSint() : VmbusVersion.MESSAGE_SINT;
        if (sint > 15) {
            drop("INITIATE_CONTACT names message SINT " + sint);
            return;
        }
        if (connected) {
            reset(); // a new contact (kexec, reload) starts from scratch
        }
        targetVcpu = c.targetVcpu();
        messageSint = sint;
        if (!VmbusVersion.isSupported(c.version())) {
            post(new VersionResponse(false, 0, 0));
            return;
        }
        version = c.version();
        connected = true;
        post(new VersionResponse(true, 0, VmbusVersion.MESSAGE_CONNECTION_ID));
    }

    private void requestOffers() {
        offersRequested = true;
        for (OfferedChannel ch : channels.values()) {
            if (ch.state != ChannelState.RESCINDED) {
                post(offerMessage(ch, ch.vsp.offer()));
            }
        }
        post(new AllOffersDelivered());
    }

    private static OfferChannel offerMessage(OfferedChannel ch, VspOffer o) {
        return new OfferChannel(o.interfaceType(), o.interfaceInstance(), 0, 0, new byte[ChannelMessageCodec.USER_DATA_SIZE],
                0, ch.relid, 0, false, false, ch.connectionId);
    }

    private void gpadlHeader(GpadlHeader h) {
        OfferedChannel ch = channels.get(h.childRelid());
        if (ch == null || ch.state == ChannelState.RESCINDED) {
            refuseGpadl(h.childRelid(), h.gpadlId(), "GPADL " + h.gpadlId() + " for unknown channel " + h.childRelid());
            return;
        }
        if (gpadls.containsKey(h.gpadlId()) || pendingGpadls.containsKey(h.gpadlId())) {
            refuseGpadl(h.childRelid(), h.gpadlId(), "GPADL id " + h.gpadlId() + " already in use");
            return;
        }
        if (gpadls.size() >= tuning.maxGpadls() || pendingGpadls.size() >= MAX_PENDING_GPADLS) {
            refuseGpadl(h.childRelid(), h.gpadlId(), "too many GPADLs");
            return;
        }
        try {
            GpadlAssembler a = GpadlAssembler.start(h, tuning.maxGpadlPages());
            if (a.complete()) {
                created(h.childRelid(), a);
            } else {
                pendingGpadls.put(h.gpadlId(), a);
            }
        } catch (GpadlException e) {
            refuseGpadl(h.childRelid(), h.gpadlId(), e.getMessage());
        }
    }

    private void gpadlBody(GpadlBody b) {
        GpadlAssembler a = pendingGpadls.get(b.gpadlId());
        if (a == null) {
            drop("GPADL_BODY for GPADL " + b.gpadlId() + " with no header pending");
            return;
        }
        try {
            a.add(b);
            if (a.complete()) {
                pendingGpadls.remove(b.gpadlId());
                created(a.childRelid(), a);
            }
        } catch (GpadlException e) {
            pendingGpadls.remove(b.gpadlId());
            refuseGpadl(a.childRelid(), b.gpadlId(), e.getMessage());
        }
    }

    private void created(int relid, GpadlAssembler a) {
        try {
            Gpadl g = a.finish(memory);
            gpadls.put(g.id(), g);
            post(new GpadlCreated(relid, g.id(), 0));
        } catch (GpadlException e) {
            refuseGpadl(relid, a.gpadlId(), e.getMessage());
        }
    }

    private void refuseGpadl(int relid, int id, String reason) {
        drop(reason);
        post(new GpadlCreated(relid, id, STATUS_FAILURE));
    }

    private void gpadlTeardown(GpadlTeardown t) {
        Gpadl g = gpadls.get(t.gpadlId());
        if (g == null) {
            if (pendingGpadls.remove(t.gpadlId()) == null) {
                drop("GPADL_TEARDOWN of unknown GPADL " + t.gpadlId());
                return;
            }
        } else {
            for (OfferedChannel ch : channels.values()) {
                if (ch.state == ChannelState.OPEN && ch.ringGpadlId == g.id()) {
                    LOG.log(System.Logger.Level.WARNING, "GPADL " + g.id() + " torn down while channel " + ch.relid
                            + " uses it as its ring; closing the channel");
                    stopPipeline(ch);
                }
            }
            gpadls.remove(t.gpadlId());
        }
        post(new GpadlTorndown(t.gpadlId()));
    }

    private void openChannel(OpenChannel o) {
        OfferedChannel ch = channels.get(o.childRelid());
        if (ch == null || ch.state != ChannelState.OFFERED) {
            refuseOpen(o, "OPENCHANNEL of channel " + o.childRelid() + (ch == null ? " (unknown)" : " in state " + ch.state));
            return;
        }
        Gpadl g = gpadls.get(o.ringGpadlId());
        if (g == null) {
            refuseOpen(o, "OPENCHANNEL " + o.childRelid() + " names unknown ring GPADL " + o.ringGpadlId());
            return;
        }
        if (g.ranges().size() != 1 || g.ranges().getFirst().byteOffset() != 0
                || (long) g.ranges().getFirst().byteCount() != (long) g.pageCount() * GuestMemory.PAGE_SIZE) {
            refuseOpen(o, "ring GPADL " + g.id() + " is not one page-aligned range");
            return;
        }
        int pages = g.pageCount();
        int down = o.downstreamPageOffset();
        if (down < 2 || down > pages - 2) {
            refuseOpen(o, "downstream ring page offset " + down + " outside 2.." + (pages - 2));
            return;
        }
        if (o.targetVp() < 0) {
            refuseOpen(o, "target vp " + o.targetVp());
            return;
        }
        long[] pfns = g.allPfns();
        try {
            RingBuffer up = RingBuffer.fromPages(memory, pfns, 0, down);
            RingBuffer downRing = RingBuffer.fromPages(memory, pfns, down, pages - down);
            RingReader reader = new RingReader(up, tuning.maxPacketBytes());
            RingWriter writer = new RingWriter(downRing);
            ChannelPipeline p = new ChannelPipeline(ch.relid, o.targetVp(), o.userData(), ch.vsp, reader, writer,
                    synic, tuning, failures);
            ch.pipeline = p;
            ch.ringGpadlId = g.id();
            ch.state = ChannelState.OPEN;
            ch.closeReason = null;
            try {
                p.start();
            } catch (RuntimeException e) {
                ch.pipeline = null;
                ch.state = ChannelState.OFFERED;
                p.close();
                refuseOpen(o, "VSP refused channel " + ch.relid + ": " + e);
                return;
            }
            post(new OpenChannelResult(ch.relid, o.openId(), 0));
        } catch (RingCorruptException | RuntimeException e) {
            refuseOpen(o, "channel " + ch.relid + " ring setup: " + e.getMessage());
        }
    }

    private void refuseOpen(OpenChannel o, String reason) {
        drop(reason);
        post(new OpenChannelResult(o.childRelid(), o.openId(), STATUS_FAILURE));
    }

    private void closeChannel(CloseChannel c) {
        OfferedChannel ch = channels.get(c.childRelid());
        if (ch == null || ch.state != ChannelState.OPEN) {
            drop("CLOSECHANNEL of channel " + c.childRelid() + (ch == null ? " (unknown)" : " in state " + ch.state));
            return;
        }
        stopPipeline(ch);
    }

    private void relidReleased(RelidReleased r) {
        OfferedChannel ch = channels.get(r.childRelid());
        if (ch == null || ch.state != ChannelState.RESCINDED) {
            drop("RELID_RELEASED of channel " + r.childRelid() + " that was not rescinded");
            return;
        }
        remove(ch);
    }

    private void unload() {
        reset();
        post(new UnloadResponse());
    }

    private void stopPipeline(OfferedChannel ch) {
        ChannelPipeline p = ch.pipeline;
        if (p != null) {
            ch.pipeline = null;
            p.close();
            if (p.failureReason() != null) {
                ch.closeReason = p.failureReason();
            }
        }
        if (ch.state == ChannelState.OPEN) {
            ch.state = ChannelState.OFFERED;
        }
        ch.ringGpadlId = -1;
    }

    private void remove(OfferedChannel ch) {
        channels.remove(ch.relid);
        byConnection.remove(ch.connectionId);
        port.unregisterConnection(ch.connectionId);
    }

    private void post(ChannelMessage m) {
        try {
            if (!synic.postMessage(targetVcpu, messageSint, ChannelMessageType.SYNIC_MESSAGE_TYPE, ChannelMessageCodec.encode(m))) {
                LOG.log(System.Logger.Level.WARNING, "VMBus: SINT" + messageSint + " of vp " + targetVcpu
                        + " not enabled; " + m.getClass().getSimpleName() + " dropped");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "VMBus: posting " + m.getClass().getSimpleName() + " failed: " + e);
        }
    }

    private void drop(String reason) {
        LOG.log(System.Logger.Level.INFO, "VMBus: message dropped: " + reason);
        if (droppedLog.size() == 100) {
            droppedLog.removeFirst();
        }
        droppedLog.add(reason);
    }
}
