package dev.partita.vmms.service;

import java.util.Locale;

/** A VM's state as the service sees it (Hyper-V's VM states, with Failed for a worker that died). */
public enum VmState {
    OFF, STARTING, RUNNING, PAUSED, STOPPING, FAILED;

    /** The lower-case word the API uses. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a worker process belongs to this state. */
    public boolean hasWorker() {
        return this == STARTING || this == RUNNING || this == PAUSED || this == STOPPING;
    }
}
