package dev.partita.devices.ic;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shutdown integration component (versions 3.2, 3.1, 3.0, 1.0): the host asks the guest to power
 * off ({@code struct shutdown_msg_data}: reason code u32 @0, timeout seconds u32 @4, flags u32 @8
 * with bit 0 = force, display message of 2048 bytes @12, UTF-16LE). Linux's hv_utils answers with
 * status S_OK and then runs an orderly power-off (it always forces).
 *
 * <p><b>Threads.</b> {@link #requestShutdown} from any thread; the future completes on the
 * channel's handler thread.
 */
public final class ShutdownVsp extends IntegrationComponentVsp {
    /** Shutdown interface type. */
    public static final UUID INTERFACE_TYPE = UUID.fromString("0e0b6031-5213-4934-818b-38d90ced39db");
    static final int DATA_SIZE = 12 + 2048;
    static final int FLAG_FORCE = 1;
    /** Reason code sent with every request (the value has no meaning to Linux). */
    static final int REASON_CODE = 0;

    private final Map<Long, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();

    public ShutdownVsp(UUID instance) {
        super("shutdown", INTERFACE_TYPE, instance,
                List.of(new IcVersion(3, 2), new IcVersion(3, 1), IcVersion.V3_0, IcVersion.V1_0));
    }

    /**
     * Asks the guest to shut down.
     *
     * @param reason shown by guests that display it (truncated to 1023 UTF-16 units)
     * @param force  ask for a forced shutdown (applications are not asked)
     * @return completes with the guest's status (0 = S_OK: the guest is powering off); fails with
     *         {@link IllegalStateException} when the channel is not open and negotiated
     */
    public CompletableFuture<Integer> requestShutdown(String reason, boolean force) {
        byte[] data = new byte[DATA_SIZE];
        IcMessage.put32(data, 0, REASON_CODE);
        IcMessage.put32(data, 4, 0);
        IcMessage.put32(data, 8, force ? FLAG_FORCE : 0);
        byte[] text = reason.getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(text, 0, data, 12, Math.min(text.length, 2046));   // keep a terminating NUL
        CompletableFuture<Integer> f = new CompletableFuture<>();
        if (sendRequest(IcMessage.TYPE_SHUTDOWN, data, tx -> pending.put(tx, f)) < 0) {
            f.completeExceptionally(new IllegalStateException("shutdown channel is not open and negotiated"));
        }
        return f;
    }

    @Override
    protected void onNegotiated(IcNegotiation.Agreed agreed) {
    }

    @Override
    protected void onResponse(long transactionId, IcMessage.Received m) {
        if (m.type() != IcMessage.TYPE_SHUTDOWN) {
            return; // not an answer to a shutdown request: the request keeps waiting for its own
        }
        CompletableFuture<Integer> f = pending.remove(transactionId);
        if (f != null) {
            f.complete(m.status());
        }
    }

    @Override
    protected void onClosed() {
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("shutdown channel closed")));
        pending.clear();
    }
}
