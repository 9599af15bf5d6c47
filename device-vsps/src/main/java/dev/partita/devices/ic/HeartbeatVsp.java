package dev.partita.devices.ic;

import dev.partita.vmbus.protocol.LittleEndian;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Heartbeat integration component (versions 3.0, 1.0): the host sends a sequence number
 * ({@code struct heartbeat_msg_data}: seq u64, reserved u32[8]); the guest's hv_utils answers with
 * the number plus one. The latest valid answer is the guest's liveness, see {@link #status()}.
 * Sends every {@code periodMillis} once negotiated (Hyper-V uses a few seconds), or on
 * {@link #beat()}.
 *
 * <p><b>Threads.</b> {@link #status()} and {@link #beat()} from any thread.
 */
public final class HeartbeatVsp extends IntegrationComponentVsp {
    /** Heartbeat interface type. */
    public static final UUID INTERFACE_TYPE = UUID.fromString("57164f39-9115-4e78-ab55-382f3bd5422d");
    static final int DATA_SIZE = 8 + 32;

    private final Clock clock;
    private final long periodMillis;
    private final AtomicLong sequence = new AtomicLong(1000);
    private final AtomicLong expectedTransaction = new AtomicLong(-1);
    private final AtomicLong expectedSequence = new AtomicLong(-1);
    private final AtomicReference<HeartbeatStatus> status =
            new AtomicReference<>(new HeartbeatStatus(false, -1, null, 0, 0));

    /** @param periodMillis interval between heartbeats; 0 sends only on {@link #beat()} */
    public HeartbeatVsp(UUID instance, Clock clock, long periodMillis) {
        super("heartbeat", INTERFACE_TYPE, instance, List.of(IcVersion.V3_0, IcVersion.V1_0));
        this.clock = clock;
        this.periodMillis = periodMillis;
    }

    /** The guest's liveness as last seen. */
    public HeartbeatStatus status() {
        return status.get();
    }

    /** Sends one heartbeat now; false when the channel is not negotiated. */
    public boolean beat() {
        long seq = sequence.addAndGet(10);
        byte[] data = new byte[DATA_SIZE];
        LittleEndian.put64(data, 0, seq);
        expectedSequence.set(seq + 1);
        return sendRequest(IcMessage.TYPE_HEARTBEAT, data, expectedTransaction::set) >= 0;
    }

    @Override
    protected void onNegotiated(IcNegotiation.Agreed agreed) {
        status.updateAndGet(s -> new HeartbeatStatus(true, s.lastSequence(), s.lastSeen(), s.answers(), s.badAnswers()));
        if (periodMillis > 0) {
            schedulePeriodic(this::beat, 0, periodMillis);
        } else {
            beat();
        }
    }

    @Override
    protected void onResponse(long transactionId, IcMessage.Received m) {
        if (m.type() != IcMessage.TYPE_HEARTBEAT) {
            return;
        }
        boolean ok = m.status() == IcMessage.S_OK && m.data().length >= 8
                && LittleEndian.u64(m.data(), 0) == expectedSequence.get() && transactionId == expectedTransaction.get();
        if (ok) {
            long seq = LittleEndian.u64(m.data(), 0);
            status.updateAndGet(s -> new HeartbeatStatus(true, seq, clock.instant(), s.answers() + 1, s.badAnswers()));
        } else {
            status.updateAndGet(s -> new HeartbeatStatus(s.negotiated(), s.lastSequence(), s.lastSeen(), s.answers(),
                    s.badAnswers() + 1));
        }
    }

    @Override
    protected void onClosed() {
        status.updateAndGet(s -> new HeartbeatStatus(false, s.lastSequence(), s.lastSeen(), s.answers(), s.badAnswers()));
    }
}
