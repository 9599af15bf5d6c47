package dev.partita.hv.bus;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sorted, non-overlapping range→device table shared by both buses. Registration copies the
 * table (copy-on-write under a lock) and publishes it through a volatile field, so lookups from
 * any number of virtual-processor threads take no lock.
 */
final class RangeTable<D> {
    record Entry<D>(AddressRange range, D device, String name) {
    }

    private static final int MAX_LOGGED_UNCLAIMED = 256;
    private static final int INFO_LINES = 16;

    private final String busName;
    private volatile Entry<D>[] entries;
    private final Set<Long> loggedUnclaimed = ConcurrentHashMap.newKeySet();
    private final System.Logger log;

    @SuppressWarnings("unchecked")
    RangeTable(String busName) {
        this.busName = busName;
        this.entries = (Entry<D>[]) new Entry<?>[0];
        this.log = System.getLogger("dev.partita.hv.bus." + busName);
    }

    synchronized void add(AddressRange range, D device, String name) {
        Entry<D>[] old = entries;
        for (Entry<D> e : old) {
            if (e.range().overlaps(range)) {
                throw new BusConflictException(busName, range, name, e.range(), e.name());
            }
        }
        Entry<D>[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = new Entry<>(range, device, name);
        Arrays.sort(next, (a, b) -> Long.compare(a.range().base(), b.range().base()));
        entries = next;
    }

    synchronized boolean remove(D device) {
        Entry<D>[] old = entries;
        Entry<D>[] next = Arrays.stream(old).filter(e -> e.device() != device).toArray(n -> Arrays.copyOf(old, n));
        entries = next;
        return next.length != old.length;
    }

    /** The entry whose range holds all of {@code [address, address + size)}, or null. */
    Entry<D> find(long address, int size) {
        Entry<D>[] table = entries;
        int lo = 0;
        int hi = table.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            AddressRange r = table[mid].range();
            if (address < r.base()) {
                hi = mid - 1;
            } else if (address >= r.end()) {
                lo = mid + 1;
            } else {
                return r.contains(address, size) ? table[mid] : null;
            }
        }
        return null;
    }

    /**
     * Logs the first unclaimed access to each address: the first {@value #INFO_LINES} addresses at
     * INFO, later ones at DEBUG; tracking stops after {@value #MAX_LOGGED_UNCLAIMED} addresses so a
     * guest cannot flood the log or the heap.
     */
    void unclaimed(String kind, long address, int size) {
        if (loggedUnclaimed.size() < MAX_LOGGED_UNCLAIMED && loggedUnclaimed.add(address)) {
            int n = loggedUnclaimed.size();
            System.Logger.Level level = n <= INFO_LINES ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
            log.log(level, () -> busName + ": unclaimed " + kind + " size " + size + " at 0x" + Long.toHexString(address)
                    + (n == INFO_LINES ? " (further unclaimed addresses are logged at DEBUG)" : ""));
        }
    }

    /** Number of distinct unclaimed addresses seen so far (capped). */
    int unclaimedAddresses() {
        return loggedUnclaimed.size();
    }
}
