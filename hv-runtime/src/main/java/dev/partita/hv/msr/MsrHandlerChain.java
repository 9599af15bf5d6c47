package dev.partita.hv.msr;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The partition's ordered list of {@link MsrHandler}s. The first handler that claims an index
 * answers; an MSR nobody claims raises #GP in the guest (logged once per index).
 *
 * <p>Threads: {@link #add} from any thread at any time; {@link #read}/{@link #write} concurrently
 * from virtual-processor threads (iteration over a copy-on-write list, no lock).
 */
public final class MsrHandlerChain {
    private static final int MAX_LOGGED = 64;
    private final CopyOnWriteArrayList<MsrHandler> handlers = new CopyOnWriteArrayList<>();
    private final Set<Integer> logged = ConcurrentHashMap.newKeySet();
    private final System.Logger log = System.getLogger(MsrHandlerChain.class.getName());

    /** Appends a handler; earlier handlers take precedence. */
    public void add(MsrHandler handler) {
        handlers.add(handler);
    }

    /** Removes a handler; returns whether it was present. */
    public boolean remove(MsrHandler handler) {
        return handlers.remove(handler);
    }

    /** RDMSR on behalf of {@code vpIndex}; throws {@link MsrFault} when the guest must get #GP. */
    public long read(int vpIndex, int index) throws MsrFault {
        for (MsrHandler h : handlers) {
            if (h.claims(index)) {
                return h.read(vpIndex, index);
            }
        }
        throw unclaimed("rdmsr", index);
    }

    /** WRMSR on behalf of {@code vpIndex}; throws {@link MsrFault} when the guest must get #GP. */
    public void write(int vpIndex, int index, long value) throws MsrFault {
        for (MsrHandler h : handlers) {
            if (h.claims(index)) {
                h.write(vpIndex, index, value);
                return;
            }
        }
        throw unclaimed("wrmsr", index);
    }

    private MsrFault unclaimed(String op, int index) {
        String what = op + " of unhandled MSR 0x" + Integer.toHexString(index);
        if (logged.size() < MAX_LOGGED && logged.add(index)) {
            log.log(System.Logger.Level.INFO, what + ": #GP");
        }
        return new MsrFault(what);
    }
}
