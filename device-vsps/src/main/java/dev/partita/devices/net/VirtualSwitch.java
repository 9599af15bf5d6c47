package dev.partita.devices.net;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private virtual switch in the root: Ethernet frames between its ports only. It learns source
 * MAC addresses per VLAN, sends a frame to the one port that owns its destination and floods
 * broadcast, multicast and unknown-destination frames to every other port of the same access VLAN.
 * Each port queues at most a fixed number of frames, so host memory held by the switch is bounded
 * by ports × queue capacity × largest frame. Thread-safe: ports may send from any thread.
 */
public final class VirtualSwitch {
    /** Largest frame accepted: a 1500-byte payload with Ethernet and 802.1Q headers. */
    public static final int MAX_FRAME = 1522;
    static final int MIN_FRAME = 14;

    private final String name;
    private final int queueCapacity;
    private final List<SwitchPort> ports = new CopyOnWriteArrayList<>();
    private final Map<Long, SwitchPort> macTable = new ConcurrentHashMap<>();
    private final AtomicInteger nextPortId = new AtomicInteger();

    public VirtualSwitch(String name, int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("port queue capacity must be at least 1, not " + queueCapacity);
        }
        this.name = name;
        this.queueCapacity = queueCapacity;
    }

    public String name() {
        return name;
    }

    /** Adds a port on access VLAN {@code vlan} (0 to 4094; 0 means untagged). */
    public SwitchPort connect(int vlan) {
        if (vlan < 0 || vlan > 4094) {
            throw new IllegalArgumentException("VLAN " + vlan + " is outside 0..4094");
        }
        SwitchPort port = new SwitchPort(this, nextPortId.getAndIncrement(), vlan, queueCapacity);
        ports.add(port);
        return port;
    }

    /** Removes a port and forgets the addresses learnt on it. */
    public void disconnect(SwitchPort port) {
        ports.remove(port);
        macTable.values().removeIf(p -> p == port);
    }

    void forward(SwitchPort from, byte[] frame) {
        if (frame.length < MIN_FRAME || frame.length > MAX_FRAME) {
            from.countMalformed();
            return;
        }
        from.countIn();
        long src = mac(frame, 6);
        boolean srcGroup = (frame[6] & 1) != 0;
        if (!srcGroup) {
            macTable.put(key(from.accessVlan(), src), from);
        }
        if ((frame[0] & 1) == 0) {
            SwitchPort to = macTable.get(key(from.accessVlan(), mac(frame, 0)));
            if (to != null && ports.contains(to)) {
                if (to != from) {
                    to.deliver(frame);
                }
                return;
            }
        }
        for (SwitchPort p : ports) {
            if (p != from && p.accessVlan() == from.accessVlan()) {
                p.deliver(frame);
            }
        }
    }

    private static long key(int vlan, long mac) {
        return (long) vlan << 48 | mac;
    }

    private static long mac(byte[] frame, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (frame[offset + i] & 0xFF);
        }
        return v;
    }
}
