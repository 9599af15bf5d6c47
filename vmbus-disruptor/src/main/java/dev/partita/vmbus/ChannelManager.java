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

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The VMBus channel-management state machine of one partition (versions 2.4-5.3): contact and
 * version negotiation, offers, GPADL assembly and teardown, open/close, rescind, unload. Replies
 * go through {@link SynicDelivery#postMessage} to the processor and SINT the guest named in
 * INITIATE_CONTACT.
 *
 * <p>Every guest value is checked; a malformed or out-of-state message is dropped with a line in
 * the partition's rate-limited {@link GuestLog} (and, where the guest waits for an answer it can
 * match, answered with a failure status). {@link #handleMessage} never throws. Target processors
 * (INITIATE_CONTACT, OPENCHANNEL) must be processors of the partition.
 *
 * <p><b>Bounds.</b> What a guest can make this class hold: at most {@link VmBusTuning#maxGpadls()}
 * GPADLs (established and being assembled, of which at most {@value #MAX_PENDING_GPADLS} being
 * assembled, each assembly buffer at most 64 KiB since the range buffer length is a u16), naming
 * together at most as many pages as the guest has RAM pages (8 bytes of PFN each: 1/512 of guest
 * RAM); a channel opens only with rings no larger than its VSP offered in each direction
 * ({@link VspOffer}), on a GPADL created for that channel and not used by another open channel.
 * The packet buffers of an open channel are bounded by {@link VmBusTuning#channelBufferBound()}.
 *
 * <p>Why one class of this length: the channel-management messages share one state (the connection,
 * the GPADL table, the channels by relid) whose invariants (a GPADL used by at most one open channel,
 * the page budget, the offer-before-open order) are checked across message kinds; one message handler
 * per kind, all in this class, keeps each invariant in one file. Wire parsing is apart
 * ({@code protocol}), as are GPADL assembly ({@code gpadl}) and the per-channel data path
 * ({@code channel}).
 *
 * <p><b>Threads.</b> {@link #handleMessage}, {@link #offer}, {@link #rescind}, {@link #channelFailed}
 * and {@link #reset} must be called from one thread at a time (the bus's control thread, or a
 * test). Channel signals (HvSignalEvent) go from the vCPU thread to the handler registered for the
 * channel's connection id, which holds the channel: the connection id is resolved once, by the
 * port. {@link #onSignal} may be called from any thread and only reads concurrent structures.
 */
public final class ChannelManager {
    /** Failure status for GPADL_CREATED / OPENCHANNEL_RESULT (STATUS_UNSUCCESSFUL). */
    public static final int STATUS_FAILURE = 0xC0000001;
    /** First per-channel connection id; channel n signals on CHANNEL_CONNECTION_BASE + n. */
    public static final int CHANNEL_CONNECTION_BASE = 0x10000;
    /** GPADLs whose GPADL_BODY messages are still awaited, at most. */
    public static final int MAX_PENDING_GPADLS = 64;
    private static final int MAX_RELID = 2047;

    private final GuestMemory memory;
    private final SynicDelivery synic;
    private final SynicPort port;
    private final VmBusTuning tuning;
    private final ChannelFailureListener failures;
    private final GuestLog log;
    private final long ramPages;
    /** By relid, which is also offer order (relids only grow). Concurrent: {@link #onSignal} reads it. */
    private final NavigableMap<Integer, OfferedChannel> channels = new ConcurrentSkipListMap<>();
    private final Map<Integer, Gpadl> gpadls = new HashMap<>();
    private final Map<Integer, GpadlAssembler> pendingGpadls = new HashMap<>();
    private final Map<Integer, Integer> pendingPages = new HashMap<>();
    private long gpadlPages;       // pages named by established and pending GPADLs
    private final Deque<Supplier<String>> droppedLog = new ArrayDeque<>();
    private long droppedTotal;
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
        this(memory, port, tuning, failures, GuestLog.forPartition());
    }

    /**
     * @param failures told (from any thread) when a pipeline stops for a fault; it must arrange for
     *                 {@link #channelFailed} to run on the manager's thread
     * @param log      the partition's rate-limited log of guest faults (shared with its pipelines)
     */
    public ChannelManager(GuestMemory memory, SynicPort port, VmBusTuning tuning, ChannelFailureListener failures,
                          GuestLog log) {
        this.memory = memory;
        this.port = port;
        this.synic = port.synic();
        this.tuning = tuning;
        this.failures = failures;
        this.log = log;
        this.ramPages = memory.totalSize() / GuestMemory.PAGE_SIZE;
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
        port.registerConnection(ch.connectionId, ch);
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
        pendingPages.clear();
        gpadlPages = 0;
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

    /** {@link ChannelPipeline#largePacketBytes()} of open channel {@code relid}, or 0. */
    public long largePacketBytes(int relid) {
        OfferedChannel ch = channels.get(relid);
        ChannelPipeline p = ch == null ? null : ch.pipeline;
        return p == null ? 0 : p.largePacketBytes();
    }

    /** GPADLs whose body messages are still awaited. */
    public int pendingGpadlCount() {
        return pendingGpadls.size();
    }

    /** Pages named by the established and pending GPADLs together (bounded by the guest's RAM pages). */
    public long gpadlPages() {
        return gpadlPages;
    }

    /** Reasons of the most recent 100 dropped or refused messages (built only when asked for). */
    public List<String> dropped() {
        return droppedLog.stream().map(Supplier::get).toList();
    }

    /** Messages dropped or refused since this manager was made. */
    public long droppedTotal() {
        return droppedTotal;
    }

    // ---- guest → host ----

    /**
     * HvSignalEvent for {@code connectionId}, looked up here (tests and diagnostics; the vCPU path
     * reaches the channel through the handler registered for its connection id). Any thread.
     */
    public int onSignal(int vp, int connectionId, int flag) {
        OfferedChannel ch = connectionId > CHANNEL_CONNECTION_BASE ? channels.get(connectionId - CHANNEL_CONNECTION_BASE) : null;
        if (ch == null) {
            return HvStatus.INVALID_CONNECTION_ID;
        }
        return ch.onSignalEvent(vp, connectionId, flag);
    }

    /** One management message the guest posted on {@code connectionId}. Never throws. */
    public void handleMessage(int vp, int connectionId, int messageType, byte[] payload) {
        try {
            if (messageType != ChannelMessageType.SYNIC_MESSAGE_TYPE) {
                drop(() -> "SynIC message type " + messageType + " on connection " + connectionId);
                return;
            }
            ChannelMessage m = ChannelMessageCodec.decode(payload);
            if (!(m instanceof InitiateContact) && !(m instanceof Unload) && !connected) {
                drop(() -> m.getClass().getSimpleName() + " before INITIATE_CONTACT");
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
                case VersionResponse r -> drop(() -> "host-to-guest message VERSION_RESPONSE from the guest");
                case OfferChannel o -> drop(() -> "host-to-guest message OFFERCHANNEL from the guest");
                case AllOffersDelivered a -> drop(() -> "host-to-guest message ALLOFFERS_DELIVERED from the guest");
                case GpadlCreated g -> drop(() -> "host-to-guest message GPADL_CREATED from the guest");
                case OpenChannelResult r -> drop(() -> "host-to-guest message OPENCHANNEL_RESULT from the guest");
                case GpadlTorndown t -> drop(() -> "host-to-guest message GPADL_TORNDOWN from the guest");
                case RescindChannelOffer r -> drop(() -> "host-to-guest message RESCIND_CHANNELOFFER from the guest");
                case UnloadResponse r -> drop(() -> "host-to-guest message UNLOAD_RESPONSE from the guest");
                case Unhandled u -> drop(() -> "unhandled channel message type " + u.type() + " (" + u.length() + " bytes)");
            }
        } catch (MalformedMessageException e) {
            drop(e::getMessage);
        } catch (RuntimeException e) {
            drop(() -> "handling a " + payload.length + "-byte message failed: " + e);
        }
    }

    private void initiateContact(int connectionId, InitiateContact c) {
        boolean v5 = c.version() >= VmbusVersion.V5_0;
        int expectedConnection = v5 ? VmbusVersion.MESSAGE_CONNECTION_ID_4 : VmbusVersion.MESSAGE_CONNECTION_ID;
        if (connectionId != expectedConnection) {
            drop(() -> "INITIATE_CONTACT for " + VmbusVersion.format(c.version()) + " on connection " + connectionId);
            return;
        }
        int sint = v5 ? c.messageSint() : VmbusVersion.MESSAGE_SINT;
        if (sint > 15) {
            drop(() -> "INITIATE_CONTACT names message SINT " + sint);
            return;
        }
        if (c.targetVcpu() < 0 || c.targetVcpu() >= port.processorCount()) {
            drop(() -> "INITIATE_CONTACT names target vCPU " + Integer.toUnsignedString(c.targetVcpu()) + " of a "
                    + port.processorCount() + "-processor partition");
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
            refuseGpadl(h.childRelid(), h.gpadlId(), () -> "GPADL " + h.gpadlId() + " for unknown channel " + h.childRelid());
            return;
        }
        if (gpadls.containsKey(h.gpadlId()) || pendingGpadls.containsKey(h.gpadlId())) {
            refuseGpadl(h.childRelid(), h.gpadlId(), () -> "GPADL id " + h.gpadlId() + " already in use");
            return;
        }
        if (gpadls.size() + pendingGpadls.size() >= tuning.maxGpadls() || pendingGpadls.size() >= MAX_PENDING_GPADLS) {
            refuseGpadl(h.childRelid(), h.gpadlId(), () -> "too many GPADLs (" + gpadls.size() + " established, "
                    + pendingGpadls.size() + " being assembled)");
            return;
        }
        GpadlAssembler a;
        try {
            a = GpadlAssembler.start(h, tuning.maxGpadlPages());
        } catch (GpadlException e) {
            refuseGpadl(h.childRelid(), h.gpadlId(), e::getMessage);
            return;
        }
        int pages = a.maxPages();
        if (gpadlPages + pages > ramPages) {
            refuseGpadl(h.childRelid(), h.gpadlId(), () -> "GPADL " + h.gpadlId() + " of up to " + pages
                    + " pages would take the partition's GPADLs past its " + ramPages + " RAM pages");
            return;
        }
        gpadlPages += pages;
        if (a.complete()) {
            created(h.childRelid(), a, pages);
        } else {
            pendingGpadls.put(h.gpadlId(), a);
            pendingPages.put(h.gpadlId(), pages);
        }
    }

    private void gpadlBody(GpadlBody b) {
        GpadlAssembler a = pendingGpadls.get(b.gpadlId());
        if (a == null) {
            drop(() -> "GPADL_BODY for GPADL " + b.gpadlId() + " with no header pending");
            return;
        }
        try {
            a.add(b);
            if (a.complete()) {
                pendingGpadls.remove(b.gpadlId());
                created(a.childRelid(), a, pendingPages.remove(b.gpadlId()));
            }
        } catch (GpadlException e) {
            pendingGpadls.remove(b.gpadlId());
            gpadlPages -= pendingPages.remove(b.gpadlId());
            refuseGpadl(a.childRelid(), b.gpadlId(), e::getMessage);
        }
    }

    /** Finishes an assembled GPADL whose {@code reserved} pages were counted at its header. */
    private void created(int relid, GpadlAssembler a, int reserved) {
        try {
            Gpadl g = a.finish(memory);
            gpadlPages += g.pageCount() - reserved;
            gpadls.put(g.id(), g);
            post(new GpadlCreated(relid, g.id(), 0));
        } catch (GpadlException e) {
            gpadlPages -= reserved;
            refuseGpadl(relid, a.gpadlId(), e::getMessage);
        }
    }

    private void refuseGpadl(int relid, int id, Supplier<String> reason) {
        drop(reason);
        post(new GpadlCreated(relid, id, STATUS_FAILURE));
    }

    private void gpadlTeardown(GpadlTeardown t) {
        Gpadl g = gpadls.get(t.gpadlId());
        if (g == null) {
            GpadlAssembler pending = pendingGpadls.remove(t.gpadlId());
            if (pending == null) {
                drop(() -> "GPADL_TEARDOWN of unknown GPADL " + t.gpadlId());
                return;
            }
            gpadlPages -= pendingPages.remove(t.gpadlId());
        } else {
            for (OfferedChannel ch : channels.values()) {
                if (ch.state == ChannelState.OPEN && ch.ringGpadlId == g.id()) {
                    log.log(System.Logger.Level.WARNING, () -> "GPADL " + g.id() + " torn down while channel " + ch.relid
                            + " uses it as its ring; closing the channel");
                    stopPipeline(ch);
                }
            }
            gpadls.remove(t.gpadlId());
            gpadlPages -= g.pageCount();
        }
        post(new GpadlTorndown(t.gpadlId()));
    }

    private void openChannel(OpenChannel o) {
        OfferedChannel ch = channels.get(o.childRelid());
        if (ch == null || ch.state != ChannelState.OFFERED) {
            refuseOpen(o, () -> "OPENCHANNEL of channel " + o.childRelid() + (ch == null ? " (unknown)" : " in state " + ch.state));
            return;
        }
        Gpadl g = gpadls.get(o.ringGpadlId());
        if (g == null) {
            refuseOpen(o, () -> "OPENCHANNEL " + o.childRelid() + " names unknown ring GPADL " + o.ringGpadlId());
            return;
        }
        if (g.childRelid() != ch.relid) {
            refuseOpen(o, () -> "OPENCHANNEL " + o.childRelid() + " names ring GPADL " + g.id() + " of channel " + g.childRelid());
            return;
        }
        for (OfferedChannel other : channels.values()) {
            if (other.state == ChannelState.OPEN && other.ringGpadlId == g.id()) {
                refuseOpen(o, () -> "OPENCHANNEL " + o.childRelid() + ": ring GPADL " + g.id() + " is in use by channel " + other.relid);
                return;
            }
        }
        if (g.ranges().size() != 1 || g.ranges().getFirst().byteOffset() != 0
                || (long) g.ranges().getFirst().byteCount() != (long) g.pageCount() * GuestMemory.PAGE_SIZE) {
            refuseOpen(o, () -> "ring GPADL " + g.id() + " is not one page-aligned range");
            return;
        }
        int pages = g.pageCount();
        int down = o.downstreamPageOffset();
        if (down < 2 || down > pages - 2) {
            refuseOpen(o, () -> "downstream ring page offset " + down + " outside 2.." + (pages - 2));
            return;
        }
        VspOffer offered = ch.vsp.offer();
        long upBytes = (long) down * GuestMemory.PAGE_SIZE;
        long downBytes = (long) (pages - down) * GuestMemory.PAGE_SIZE;
        if (upBytes > offered.guestToHostRingBytes() || downBytes > offered.hostToGuestRingBytes()) {
            refuseOpen(o, () -> "channel " + ch.relid + " opened with rings of " + upBytes + " / " + downBytes
                    + " bytes; its VSP offered at most " + offered.guestToHostRingBytes() + " / "
                    + offered.hostToGuestRingBytes());
            return;
        }
        if (o.targetVp() < 0 || o.targetVp() >= port.processorCount()) {
            refuseOpen(o, () -> "OPENCHANNEL " + o.childRelid() + " names target vCPU " + Integer.toUnsignedString(o.targetVp())
                    + " of a " + port.processorCount() + "-processor partition");
            return;
        }
        long[] pfns = g.allPfns();
        try {
            RingBuffer up = RingBuffer.fromPages(memory, pfns, 0, down);
            RingBuffer downRing = RingBuffer.fromPages(memory, pfns, down, pages - down);
            RingReader reader = new RingReader(up, tuning.maxPacketBytes());
            RingWriter writer = new RingWriter(downRing);
            ChannelPipeline p = new ChannelPipeline(ch.relid, o.targetVp(), o.userData(), ch.vsp, reader, writer,
                    synic, tuning, failures, log);
            ch.pipeline = p;
            ch.ringGpadlId = g.id();
            ch.downstreamPageOffset = down;
            ch.state = ChannelState.OPEN;
            ch.closeReason = null;
            try {
                p.start();
            } catch (RuntimeException e) {
                ch.pipeline = null;
                ch.state = ChannelState.OFFERED;
                ch.ringGpadlId = -1;
                p.close();
                refuseOpen(o, () -> "VSP refused channel " + ch.relid + ": " + e);
                return;
            }
            post(new OpenChannelResult(ch.relid, o.openId(), 0));
        } catch (RingCorruptException | RuntimeException e) {
            refuseOpen(o, () -> "channel " + ch.relid + " ring setup: " + e.getMessage());
        }
    }

    private void refuseOpen(OpenChannel o, Supplier<String> reason) {
        drop(reason);
        post(new OpenChannelResult(o.childRelid(), o.openId(), STATUS_FAILURE));
    }

    private void closeChannel(CloseChannel c) {
        OfferedChannel ch = channels.get(c.childRelid());
        if (ch == null || ch.state != ChannelState.OPEN) {
            drop(() -> "CLOSECHANNEL of channel " + c.childRelid() + (ch == null ? " (unknown)" : " in state " + ch.state));
            return;
        }
        stopPipeline(ch);
    }

    private void relidReleased(RelidReleased r) {
        OfferedChannel ch = channels.get(r.childRelid());
        if (ch == null || ch.state != ChannelState.RESCINDED) {
            drop(() -> "RELID_RELEASED of channel " + r.childRelid() + " that was not rescinded");
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
        port.unregisterConnection(ch.connectionId);
    }

    private void post(ChannelMessage m) {
        try {
            if (!synic.postMessage(targetVcpu, messageSint, ChannelMessageType.SYNIC_MESSAGE_TYPE, ChannelMessageCodec.encode(m))) {
                log.log(System.Logger.Level.WARNING, () -> "VMBus: SINT" + messageSint + " of vp " + targetVcpu
                        + " not enabled or its queue full; " + m.getClass().getSimpleName() + " dropped");
            }
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, () -> "VMBus: posting " + m.getClass().getSimpleName() + " failed: " + e);
        }
    }

    // ---- saved state (manager thread, with the partition's processors paused or not yet started) ----

    /**
     * Stops the VSPs' own senders ({@link Vsp#quiesce}) and waits until every open channel's
     * pipeline is idle: each packet taken from a guest ring handled and its answer published.
     *
     * @throws IllegalStateException when a channel does not come to rest in 10 s
     */
    public void quiesce() {
        for (Vsp v : distinctVsps()) {
            v.quiesce();
        }
        for (OfferedChannel ch : channels.values()) {
            ChannelPipeline p = ch.pipeline;
            if (p != null) {
                p.awaitIdle(10_000_000_000L);
            }
        }
    }

    /** Restarts what {@link #quiesce()} stopped ({@link Vsp#resume}). */
    public void resume() {
        for (Vsp v : distinctVsps()) {
            v.resume();
        }
    }

    private List<Vsp> distinctVsps() {
        List<Vsp> list = new java.util.ArrayList<>();
        for (OfferedChannel ch : channels.values()) {
            if (list.stream().noneMatch(v -> v == ch.vsp)) {
                list.add(ch.vsp);
            }
        }
        return list;
    }

    /**
     * The bus's state in the {@link BusStateCodec} form. Call after {@link #quiesce()}.
     *
     * @throws IllegalStateException while a GPADL is still being assembled (its GPADL_BODY
     *                               messages are not saved; saving a moment later succeeds)
     */
    public byte[] saveState() {
        if (!pendingGpadls.isEmpty()) {
            throw new IllegalStateException("VMBus: GPADL " + pendingGpadls.keySet().iterator().next()
                    + " is being assembled by the guest; its state cannot be saved at this moment");
        }
        List<BusStateCodec.SavedChannel> saved = new java.util.ArrayList<>();
        List<Vsp> seen = new java.util.ArrayList<>();
        for (OfferedChannel ch : channels.values()) {
            ChannelPipeline p = ch.pipeline;
            boolean open = ch.state == ChannelState.OPEN && p != null;
            byte[] vspState = null;
            if (seen.stream().noneMatch(v -> v == ch.vsp)) {
                seen.add(ch.vsp);
                vspState = ch.vsp.saveState();
            }
            VspOffer o = ch.vsp.offer();
            saved.add(new BusStateCodec.SavedChannel(ch.relid, o.interfaceType(), o.interfaceInstance(),
                    open ? ChannelState.OPEN : ch.state == ChannelState.OPEN ? ChannelState.OFFERED : ch.state,
                    open ? ch.ringGpadlId : -1, open ? ch.downstreamPageOffset : 0, open ? p.targetVp() : 0,
                    open ? p.openUserData() : new byte[0], vspState));
        }
        return BusStateCodec.encode(new BusStateCodec.SavedBus(connected, version, targetVcpu, messageSint, offersRequested,
                List.copyOf(gpadls.values()), saved));
    }

    /**
     * Loads a state {@link #saveState()} wrote into this manager, which must have offered the
     * same channels (same relids, interface types and instances, in the same order) and not be
     * connected. Channels that were open are opened again on their saved rings without any
     * message to the guest ({@link ChannelPipeline#restart()}); then each VSP gets its state.
     *
     * @throws IllegalArgumentException when the state is malformed or names something this bus
     *                                  cannot hold (the manager is then reset)
     */
    public void restoreState(byte[] state) {
        if (connected || !gpadls.isEmpty()) {
            throw new IllegalStateException("VMBus state can only be restored into a bus the guest has not contacted");
        }
        BusStateCodec.SavedBus bus = BusStateCodec.decode(state, memory, tuning.maxGpadls(), MAX_RELID);
        try {
            restoreChecked(bus);
        } catch (RuntimeException e) {
            reset();
            throw e instanceof IllegalArgumentException ? e : new IllegalArgumentException("VMBus state: " + e.getMessage(), e);
        }
    }

    private void restoreChecked(BusStateCodec.SavedBus bus) {
        List<OfferedChannel> mine = List.copyOf(channels.values());
        if (mine.size() != bus.channels().size()) {
            throw new IllegalArgumentException("the saved VMBus has " + bus.channels().size() + " channels, this VM offers "
                    + mine.size());
        }
        if (bus.connected() && (!VmbusVersion.isSupported(bus.version()) || bus.targetVcpu() < 0
                || bus.targetVcpu() >= port.processorCount())) {
            throw new IllegalArgumentException("saved VMBus connection: version " + VmbusVersion.format(bus.version())
                    + ", target vCPU " + bus.targetVcpu());
        }
        long pages = 0;
        for (Gpadl g : bus.gpadls()) {
            if (gpadls.putIfAbsent(g.id(), g) != null) {
                throw new IllegalArgumentException("saved GPADL id " + g.id() + " appears twice");
            }
            pages += g.pageCount();
        }
        gpadlPages = pages;
        connected = bus.connected();
        version = bus.version();
        targetVcpu = bus.targetVcpu();
        messageSint = bus.messageSint();
        offersRequested = bus.offersRequested();
        for (int i = 0; i < mine.size(); i++) {
            OfferedChannel ch = mine.get(i);
            BusStateCodec.SavedChannel sc = bus.channels().get(i);
            VspOffer o = ch.vsp.offer();
            if (sc.relid() != ch.relid || !sc.interfaceType().equals(o.interfaceType())
                    || !sc.instance().equals(o.interfaceInstance())) {
                throw new IllegalArgumentException("saved channel " + sc.relid() + " (" + sc.interfaceType() + ") is not this VM's channel "
                        + ch.relid + " (" + o.interfaceType() + ")");
            }
            switch (sc.state()) {
                case OFFERED -> { }
                case RESCINDED -> {
                    ch.state = ChannelState.RESCINDED;
                    ch.closeReason = "rescinded before the VM was saved";
                }
                case OPEN -> reopen(ch, sc);
            }
        }
        for (int i = 0; i < mine.size(); i++) {
            byte[] vspState = bus.channels().get(i).vspState();
            if (vspState != null) {
                mine.get(i).vsp.restoreState(vspState);
            }
        }
    }

    private void reopen(OfferedChannel ch, BusStateCodec.SavedChannel sc) {
        Gpadl g = gpadls.get(sc.ringGpadlId());
        if (g == null || g.childRelid() != ch.relid) {
            throw new IllegalArgumentException("saved channel " + ch.relid + " names ring GPADL " + sc.ringGpadlId()
                    + (g == null ? ", which is not saved" : " of channel " + g.childRelid()));
        }
        for (OfferedChannel other : channels.values()) {
            if (other.state == ChannelState.OPEN && other.ringGpadlId == g.id()) {
                throw new IllegalArgumentException("saved ring GPADL " + g.id() + " is used by channels " + other.relid + " and " + ch.relid);
            }
        }
        int pages = g.pageCount();
        int down = sc.downstreamPageOffset();
        VspOffer offered = ch.vsp.offer();
        if (g.ranges().size() != 1 || g.ranges().getFirst().byteOffset() != 0
                || (long) g.ranges().getFirst().byteCount() != (long) pages * GuestMemory.PAGE_SIZE
                || down < 2 || down > pages - 2
                || (long) down * GuestMemory.PAGE_SIZE > offered.guestToHostRingBytes()
                || (long) (pages - down) * GuestMemory.PAGE_SIZE > offered.hostToGuestRingBytes()
                || sc.targetVp() < 0 || sc.targetVp() >= port.processorCount()) {
            throw new IllegalArgumentException("saved channel " + ch.relid + ": ring GPADL " + g.id() + " of " + pages
                    + " pages split at " + down + ", target vCPU " + sc.targetVp() + " is not a ring this channel can open");
        }
        long[] pfns = g.allPfns();
        try {
            RingBuffer up = RingBuffer.fromPages(memory, pfns, 0, down);
            RingBuffer downRing = RingBuffer.fromPages(memory, pfns, down, pages - down);
            ChannelPipeline p = new ChannelPipeline(ch.relid, sc.targetVp(), sc.userData(), ch.vsp,
                    new RingReader(up, tuning.maxPacketBytes()), new RingWriter(downRing), synic, tuning, failures, log);
            ch.pipeline = p;
            ch.ringGpadlId = g.id();
            ch.downstreamPageOffset = down;
            ch.state = ChannelState.OPEN;
            p.restart();
        } catch (RingCorruptException e) {
            throw new IllegalArgumentException("saved channel " + ch.relid + " ring: " + e.getMessage(), e);
        }
    }

    private void drop(Supplier<String> reason) {
        droppedTotal++;
        log.log(System.Logger.Level.INFO, () -> "VMBus: message dropped: " + reason.get());
        if (droppedLog.size() == 100) {
            droppedLog.removeFirst();
        }
        droppedLog.addLast(reason);
    }
}
