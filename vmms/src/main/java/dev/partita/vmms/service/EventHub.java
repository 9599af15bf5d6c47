package dev.partita.vmms.service;

import dev.partita.vmms.api.VmEvent;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands every VM event to each subscriber's bounded queue. A subscriber that falls more than {@link #CAPACITY}
 * events behind loses the newest ones rather than slowing the service. Thread-safe.
 */
public final class EventHub {
    static final int CAPACITY = 1024;
    private final CopyOnWriteArrayList<BlockingQueue<VmEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** Publishes an event now. */
    public void publish(String vm, String kind, VmState state, String detail) {
        VmEvent e = new VmEvent(Instant.now().toString(), vm, kind, state.word(), detail);
        for (BlockingQueue<VmEvent> q : subscribers) {
            q.offer(e);
        }
    }

    /** A new subscription; {@link #unsubscribe} it when done. */
    public BlockingQueue<VmEvent> subscribe() {
        BlockingQueue<VmEvent> q = new LinkedBlockingQueue<>(CAPACITY);
        subscribers.add(q);
        return q;
    }

    public void unsubscribe(BlockingQueue<VmEvent> q) {
        subscribers.remove(q);
    }
}
