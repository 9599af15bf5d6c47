package dev.partita.vmms.service;

import dev.partita.vmms.api.VmSpec;
import dev.partita.vmms.worker.VmFolder;

import java.time.Instant;

/**
 * One VM the service manages: its definition, state and worker process. Every field is guarded by the
 * object's monitor; {@link VmManager} holds it while it changes state and never while it waits for a worker.
 */
final class ManagedVm {
    final String name;
    final VmFolder folder;
    VmSpec spec;
    VmState state = VmState.OFF;
    String reason = "";
    /** The worker, while {@link VmState#hasWorker()}. */
    ProcessHandle worker;
    /** The worker as a child process (null after the service re-attached to it): it knows the exit status. */
    Process child;
    Instant startedAt;
    /** The last heartbeat word reported by the worker. */
    String heartbeat = "not-offered";

    ManagedVm(String name, VmFolder folder, VmSpec spec) {
        this.name = name;
        this.folder = folder;
        this.spec = spec;
    }
}
