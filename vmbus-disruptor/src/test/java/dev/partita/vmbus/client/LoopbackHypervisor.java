package dev.partita.vmbus.client;

import dev.partita.hv.hyperv.HvStatus;
import dev.partita.hv.hyperv.SynicConnectionHandler;
import dev.partita.hv.hyperv.SynicDelivery;
import dev.partita.vmbus.SynicPort;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands for the hypervisor between the root's VMBus and the in-process {@link VmBusClient}: the
 * root's {@link SynicDelivery} calls go to the client's {@link GuestEndpoint}, and the client's
 * post/signal calls go to the handlers the root registered, on the calling thread (as a vCPU's
 * hypercall would). Thread-safe.
 */
public final class LoopbackHypervisor implements SynicPort {

    /** The guest side of the loop: receives what the root delivers. Called on root threads; must not block. */
    public interface GuestEndpoint {
        void onMessage(int vp, int sint, int messageType, byte[] payload);

        void onEvent(int vp, int sint, int flag);
    }

    private final Map<Integer, SynicConnectionHandler> handlers = new ConcurrentHashMap<>();
    private volatile GuestEndpoint guest;

    /** A loopback with one virtual processor (vp 0) and no guest attached yet. */
    public LoopbackHypervisor() {
    }

    private final SynicDelivery delivery = new SynicDelivery() {
        @Override
        public boolean postMessage(int vp, int sint, int messageType, byte[] payload) {
            check(vp, sint);
            if (payload.length > 240 || messageType <= 0) {
                throw new IllegalArgumentException("message type " + messageType + " / " + payload.length + " bytes");
            }
            GuestEndpoint g = guest;
            if (g == null) {
                return false;
            }
            g.onMessage(vp, sint, messageType, payload.clone());
            return true;
        }

        @Override
        public boolean signalEvent(int vp, int sint, int flag) {
            check(vp, sint);
            if (flag < 0 || flag > 2047) {
                throw new IllegalArgumentException("event flag " + flag);
            }
            GuestEndpoint g = guest;
            if (g == null) {
                return false;
            }
            g.onEvent(vp, sint, flag);
            return true;
        }
    };

    private static void check(int vp, int sint) {
        if (vp != 0 || sint < 0 || sint > 15) {
            throw new IllegalArgumentException("vp " + vp + " sint " + sint + " (the loopback has one processor)");
        }
    }

    /** Connects the guest side. */
    public void attachGuest(GuestEndpoint endpoint) {
        this.guest = endpoint;
    }

    @Override
    public SynicDelivery synic() {
        return delivery;
    }

    @Override
    public int processorCount() {
        return 1;
    }

    @Override
    public void registerConnection(int connectionId, SynicConnectionHandler handler) {
        if (handlers.putIfAbsent(connectionId, handler) != null) {
            throw new IllegalStateException("connection id " + connectionId + " already has a handler");
        }
    }

    @Override
    public boolean unregisterConnection(int connectionId) {
        return handlers.remove(connectionId) != null;
    }

    /** The guest's HvPostMessage (vp 0). */
    public int postMessage(int connectionId, int messageType, byte[] payload) {
        SynicConnectionHandler h = handlers.get(connectionId);
        if (h == null) {
            return HvStatus.INVALID_CONNECTION_ID;
        }
        if (payload.length > 240) {
            return HvStatus.INVALID_PARAMETER;
        }
        return h.onPostMessage(0, connectionId, messageType, payload.clone());
    }

    /** The guest's HvSignalEvent (vp 0). */
    public int signalEvent(int connectionId, int flag) {
        SynicConnectionHandler h = handlers.get(connectionId);
        if (h == null) {
            return HvStatus.INVALID_CONNECTION_ID;
        }
        return h.onSignalEvent(0, connectionId, flag);
    }
}
