package dev.partita.vmbus.testing;

import dev.partita.hv.hyperv.SynicConnectionHandler;
import dev.partita.hv.hyperv.SynicDelivery;
import dev.partita.vmbus.SynicPort;
import dev.partita.vmbus.protocol.ChannelMessage;
import dev.partita.vmbus.protocol.ChannelMessageCodec;
import dev.partita.vmbus.protocol.MalformedMessageException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A SynicPort that records what the root delivers (decoded) and the connections it registers. */
public final class RecordingSynicPort implements SynicPort {
    public record Posted(int vp, int sint, ChannelMessage message) {
    }

    public record Event(int vp, int sint, int flag) {
    }

    public final List<Posted> posted = new ArrayList<>();
    public final List<Event> events = new ArrayList<>();
    public final Map<Integer, SynicConnectionHandler> connections = new ConcurrentHashMap<>();

    private final SynicDelivery delivery = new SynicDelivery() {
        @Override
        public boolean postMessage(int vp, int sint, int messageType, byte[] payload) {
            if (payload.length > 240) {
                throw new IllegalArgumentException("payload of " + payload.length + " bytes");
            }
            try {
                synchronized (posted) {
                    posted.add(new Posted(vp, sint, ChannelMessageCodec.decode(payload)));
                }
            } catch (MalformedMessageException e) {
                throw new AssertionError("root posted a malformed message", e);
            }
            return true;
        }

        @Override
        public boolean signalEvent(int vp, int sint, int flag) {
            synchronized (events) {
                events.add(new Event(vp, sint, flag));
            }
            return true;
        }
    };

    @Override
    public SynicDelivery synic() {
        return delivery;
    }

    /** Virtual processors the recorded partition has (2 unless a test changes it). */
    public volatile int processorCount = 2;

    @Override
    public int processorCount() {
        return processorCount;
    }

    @Override
    public void registerConnection(int connectionId, SynicConnectionHandler handler) {
        connections.put(connectionId, handler);
    }

    @Override
    public boolean unregisterConnection(int connectionId) {
        return connections.remove(connectionId) != null;
    }

    /** The messages posted so far, and forgets them. */
    public List<ChannelMessage> take() {
        synchronized (posted) {
            List<ChannelMessage> l = posted.stream().map(Posted::message).toList();
            posted.clear();
            return l;
        }
    }
}
