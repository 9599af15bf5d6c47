package dev.partita.vmbus.client;

import dev.partita.hv.hyperv.HvStatus;
import dev.partita.hv.memory.GuestMemory;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A VMBus client (the guest side, VSC) in Java that speaks the same protocol as Linux's
 * {@code hv_vmbus} over rings in its own {@link GuestMemory}, through a {@link LoopbackHypervisor}:
 * INITIATE_CONTACT, offers, GPADLs (header plus as many bodies as needed), OPENCHANNEL, packets,
 * CLOSECHANNEL, GPADL teardown, UNLOAD. For tests and benchmarks without a guest.
 *
 * <p><b>Threads.</b> The management calls are for one thread at a time; each waits for its
 * answer (timeout {@code IOException}). Channel data goes through {@link ClientChannel}.
 */
public final class VmBusClient implements LoopbackHypervisor.GuestEndpoint {
    /** PFNs that fit in a GPADL_HEADER with one range ((240 - 28) / 8) and in a GPADL_BODY ((240 - 16) / 8). */
    public static final int HEADER_PFNS = 26;
    public static final int BODY_PFNS = 28;

    private final GuestMemory memory;
    private final LoopbackHypervisor hv;
    private final GuestPageAllocator pages;
    private final List<ChannelMessage> inbox = new ArrayList<>();
    private final Map<Integer, ClientChannel> open = new ConcurrentHashMap<>();
    private final AtomicInteger nextGpadl = new AtomicInteger(0xE1E10);
    private final AtomicInteger nextOpenId = new AtomicInteger(1);
    private volatile int messageConnectionId = VmbusVersion.MESSAGE_CONNECTION_ID;
    private long timeoutNanos = TimeUnit.SECONDS.toNanos(10);

    public VmBusClient(GuestMemory memory, LoopbackHypervisor hv, GuestPageAllocator pages) {
        this.memory = memory;
        this.hv = hv;
        this.pages = pages;
        hv.attachGuest(this);
    }

    LoopbackHypervisor hypervisor() {
        return hv;
    }

    public GuestMemory memory() {
        return memory;
    }

    // ---- delivery from the root ----

    @Override
    public void onMessage(int vp, int sint, int messageType, byte[] payload) {
        ChannelMessage m;
        try {
            m = ChannelMessageCodec.decode(payload);
        } catch (MalformedMessageException e) {
            m = new Unhandled(-1, payload.length);
        }
        synchronized (inbox) {
            inbox.add(m);
            inbox.notifyAll();
        }
    }

    @Override
    public void onEvent(int vp, int sint, int flag) {
        ClientChannel ch = open.get(flag);
        if (ch != null) {
            ch.onEvent();
        }
    }

    /** Waits for the first unclaimed message of type {@code type} that satisfies {@code match}, and claims it. */
    public <T extends ChannelMessage> T await(Class<T> type, Predicate<T> match) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (inbox) {
            while (true) {
                for (Iterator<ChannelMessage> it = inbox.iterator(); it.hasNext(); ) {
                    ChannelMessage m = it.next();
                    if (type.isInstance(m) && match.test(type.cast(m))) {
                        it.remove();
                        return type.cast(m);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no " + type.getSimpleName() + " from the root within the timeout");
                }
                try {
                    inbox.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for " + type.getSimpleName(), e);
                }
            }
        }
    }

    /** Messages received and not claimed (e.g. RESCIND_CHANNELOFFER); removes them. */
    public List<ChannelMessage> takeUnclaimed() {
        synchronized (inbox) {
            List<ChannelMessage> l = List.copyOf(inbox);
            inbox.clear();
            return l;
        }
    }

    /**
     * Posts a raw channel message on the current message connection id and returns the HV status.
     * Like Linux's {@code vmbus_post_msg}, a refusal with {@code HV_STATUS_INSUFFICIENT_BUFFERS}
     * (the root's message queue is full) is retried after a short pause, for up to the timeout.
     */
    public int postRaw(byte[] message) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int status = hv.postMessage(messageConnectionId, ChannelMessageType.SYNIC_MESSAGE_TYPE, message);
            if (status != HvStatus.INSUFFICIENT_BUFFERS || System.nanoTime() - deadline > 0) {
                return status;
            }
            LockSupport.parkNanos(50_000);
        }
    }

    public int post(ChannelMessage m) {
        return postRaw(ChannelMessageCodec.encode(m));
    }

    // ---- management ----

    /** INITIATE_CONTACT for {@code version}; returns whether the root accepted it. */
    public boolean connect(int version) throws IOException {
        int conn = version >= VmbusVersion.V5_0 ? VmbusVersion.MESSAGE_CONNECTION_ID_4 : VmbusVersion.MESSAGE_CONNECTION_ID;
        int status = hv.postMessage(conn, ChannelMessageType.SYNIC_MESSAGE_TYPE,
                ChannelMessageCodec.encode(new InitiateContact(version, 0, VmbusVersion.MESSAGE_SINT, 0, 0)));
        if (status != HvStatus.SUCCESS) {
            throw new IOException("INITIATE_CONTACT: HV status " + status);
        }
        VersionResponse r = await(VersionResponse.class, x -> true);
        if (r.supported()) {
            messageConnectionId = version >= VmbusVersion.V5_0 ? r.messageConnectionId() : VmbusVersion.MESSAGE_CONNECTION_ID;
        }
        return r.supported();
    }

    /** Negotiates like Linux: proposes every supported version, newest first. Returns the version agreed. */
    public int connect() throws IOException {
        for (int v : VmbusVersion.SUPPORTED) {
            if (connect(v)) {
                return v;
            }
        }
        throw new IOException("the root accepted no VMBus version");
    }

    /** REQUESTOFFERS; returns the offers up to ALLOFFERS_DELIVERED. */
    public List<OfferChannel> requestOffers() throws IOException {
        post(new RequestOffers());
        await(AllOffersDelivered.class, x -> true);
        List<OfferChannel> offers = new ArrayList<>();
        synchronized (inbox) {
            for (Iterator<ChannelMessage> it = inbox.iterator(); it.hasNext(); ) {
                if (it.next() instanceof OfferChannel o) {
                    offers.add(o);
                    it.remove();
                }
            }
        }
        return offers;
    }

    /**
     * Creates a GPADL over {@code pfns} (one range, offset 0) for channel {@code relid}: one header
     * with up to {@value #HEADER_PFNS} PFNs, then bodies of up to {@value #BODY_PFNS}.
     *
     * @return the GPADL id
     * @throws IOException when the root refuses it (non-zero status) or does not answer
     */
    public int createGpadl(int relid, long[] pfns) throws IOException {
        int id = nextGpadl.getAndIncrement();
        for (byte[] msg : gpadlMessages(relid, id, pfns)) {
            postRaw(msg);
        }
        GpadlCreated c = await(GpadlCreated.class, x -> x.gpadlId() == id);
        if (c.status() != 0) {
            throw new IOException("GPADL " + id + " refused: status 0x" + Integer.toHexString(c.status()));
        }
        return id;
    }

    /** The GPADL_HEADER and GPADL_BODY messages that describe {@code pfns} as one range at offset 0. */
    public static List<byte[]> gpadlMessages(int relid, int id, long[] pfns) {
        List<byte[]> out = new ArrayList<>();
        int inHeader = Math.min(HEADER_PFNS, pfns.length);
        ByteBuffer r = ByteBuffer.allocate(8 + 8 * inHeader).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt((int) ((long) pfns.length * GuestMemory.PAGE_SIZE)).putInt(0);
        for (int i = 0; i < inHeader; i++) {
            r.putLong(pfns[i]);
        }
        out.add(ChannelMessageCodec.encode(new GpadlHeader(relid, id, 8 + 8 * pfns.length, 1, r.array())));
        int msgNo = 1;
        for (int at = inHeader; at < pfns.length; at += BODY_PFNS) {
            long[] chunk = java.util.Arrays.copyOfRange(pfns, at, Math.min(pfns.length, at + BODY_PFNS));
            out.add(ChannelMessageCodec.encode(new GpadlBody(msgNo++, id, chunk)));
        }
        return out;
    }

    /** Opens the channel of {@code offer} with rings of the given sizes (bytes incl. header page each). */
    public ClientChannel open(OfferChannel offer, int guestToHostBytes, int hostToGuestBytes) throws IOException {
        int upPages = guestToHostBytes / 4096;
        int downPages = hostToGuestBytes / 4096;
        long base = pages.allocate(upPages + downPages);
        memory.fill(base, (long) (upPages + downPages) * 4096, (byte) 0);
        long[] pfns = new long[upPages + downPages];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = (base >>> 12) + i;
        }
        RingBuffer up = RingBuffer.fromPages(memory, pfns, 0, upPages);
        RingBuffer down = RingBuffer.fromPages(memory, pfns, upPages, downPages);
        up.setFeatureBits(RingBuffer.FEATURE_PENDING_SEND_SIZE);
        down.setFeatureBits(RingBuffer.FEATURE_PENDING_SEND_SIZE);
        int relid = offer.childRelid();
        int gpadl = createGpadl(relid, pfns);
        ClientChannel ch;
        try {
            ch = new ClientChannel(this, relid, offer.connectionId(), gpadl, new RingWriter(up), new RingReader(down, 1 << 20));
        } catch (RingCorruptException e) {
            throw new IOException("fresh ring rejected: " + e.getMessage(), e);
        }
        open.put(relid, ch);
        int openId = nextOpenId.getAndIncrement();
        post(new OpenChannel(relid, openId, gpadl, 0, upPages, new byte[ChannelMessageCodec.USER_DATA_SIZE]));
        OpenChannelResult r = await(OpenChannelResult.class, x -> x.childRelid() == relid && x.openId() == openId);
        if (r.status() != 0) {
            open.remove(relid);
            throw new IOException("OPENCHANNEL " + relid + " refused: status 0x" + Integer.toHexString(r.status()));
        }
        return ch;
    }

    /** CLOSECHANNEL, then GPADL_TEARDOWN of its ring and wait for GPADL_TORNDOWN. */
    public void close(ClientChannel ch) throws IOException {
        post(new CloseChannel(ch.relid()));
        open.remove(ch.relid());
        post(new GpadlTeardown(ch.relid(), ch.gpadlId()));
        await(GpadlTorndown.class, x -> x.gpadlId() == ch.gpadlId());
    }

    /** UNLOAD and wait for UNLOAD_RESPONSE. */
    public void unload() throws IOException {
        post(new Unload());
        await(UnloadResponse.class, x -> true);
    }

    /** Sets how long management calls wait for the root. */
    public void setTimeout(long nanos) {
        this.timeoutNanos = nanos;
    }
}
