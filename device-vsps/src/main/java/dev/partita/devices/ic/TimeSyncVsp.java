package dev.partita.devices.ic;

import dev.partita.vmbus.protocol.LittleEndian;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Time synchronisation integration component (versions 4.0, 3.0, 1.0): sends the host's wall
 * time in 100 ns units since 1601-01-01 UTC. The first sample after negotiation carries
 * {@link #FLAG_SYNC} (Linux sets its clock from it); later ones, every {@code periodMillis}, carry
 * {@link #FLAG_SAMPLE} (a hint). Version 4 messages ({@code struct ictimesync_ref_data}: parent
 * time u64 @0, VM reference time u64 @8, flags u8 @16, leap flags @17, stratum @18) add the
 * partition reference counter (TIME_REF_COUNT, 100 ns units) at the moment of the sample so the
 * guest can correct for delivery delay; older versions use {@code struct ictimesync_data} (parent
 * time @0, child time @8, round-trip time @16, flags u8 @24).
 *
 * <p><b>Threads.</b> {@link #sync()} / {@link #sample()} from any thread.
 */
public final class TimeSyncVsp extends IntegrationComponentVsp {
    /** Time synchronization interface type. */
    public static final UUID INTERFACE_TYPE = UUID.fromString("9527e630-d0ae-497b-adce-e80ab0175caf");
    /** ICTIMESYNCFLAG_SYNC: set the clock. */
    public static final int FLAG_SYNC = 1;
    /** ICTIMESYNCFLAG_SAMPLE: a sample the guest may use. */
    public static final int FLAG_SAMPLE = 2;
    /** 100 ns intervals between 1601-01-01 and 1970-01-01 (WLTIMEDELTA). */
    public static final long EPOCH_DELTA_100NS = 116_444_736_000_000_000L;
    static final IcVersion V4_0 = new IcVersion(4, 0);

    private final Clock clock;
    private final LongSupplier referenceTime;
    private final long periodMillis;
    private final AtomicLong acknowledged = new AtomicLong();

    /**
     * @param clock         host wall clock
     * @param referenceTime the partition's reference counter in 100 ns units (TIME_REF_COUNT)
     * @param periodMillis  interval between samples after the first; 0 sends only the first and
     *                      what {@link #sync()} / {@link #sample()} ask for
     */
    public TimeSyncVsp(UUID instance, Clock clock, LongSupplier referenceTime, long periodMillis) {
        super("timesync", INTERFACE_TYPE, instance, List.of(V4_0, IcVersion.V3_0, IcVersion.V1_0));
        this.clock = clock;
        this.referenceTime = referenceTime;
        this.periodMillis = periodMillis;
    }

    /** Host time in Windows file-time units (100 ns since 1601-01-01 UTC). */
    public static long toFileTime(Instant t) {
        return EPOCH_DELTA_100NS + Math.multiplyExact(t.getEpochSecond(), 10_000_000L) + t.getNano() / 100;
    }

    /** Sends a sample with the SYNC flag; false when not negotiated. */
    public boolean sync() {
        return send(FLAG_SYNC);
    }

    /** Sends a sample with the SAMPLE flag; false when not negotiated. */
    public boolean sample() {
        return send(FLAG_SAMPLE);
    }

    /** Samples the guest acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    private boolean send(int flags) {
        IcNegotiation.Agreed a = agreed();
        if (a == null) {
            return false;
        }
        long parent = toFileTime(clock.instant());
        byte[] data;
        if (a.message().compareTo(V4_0) >= 0) {
            data = new byte[24];
            LittleEndian.put64(data, 0, parent);
            LittleEndian.put64(data, 8, referenceTime.getAsLong());
            data[16] = (byte) flags;
        } else {
            data = new byte[25];
            LittleEndian.put64(data, 0, parent);
            data[24] = (byte) flags;
        }
        return sendRequest(IcMessage.TYPE_TIMESYNC, data, tx -> { }) >= 0;
    }

    @Override
    protected void onNegotiated(IcNegotiation.Agreed agreed) {
        sync();
        if (periodMillis > 0) {
            schedulePeriodic(this::sample, periodMillis, periodMillis);
        }
    }

    @Override
    protected void onResponse(long transactionId, IcMessage.Received m) {
        if (m.type() == IcMessage.TYPE_TIMESYNC && m.status() == IcMessage.S_OK) {
            acknowledged.incrementAndGet();
        }
    }
}
