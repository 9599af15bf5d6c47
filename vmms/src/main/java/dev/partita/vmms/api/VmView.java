package dev.partita.vmms.api;

import java.util.List;

/**
 * What {@code GET /v1/vms/{name}} answers: Hyper-V's Get-VM view of one VM.
 *
 * @param name          the VM's name
 * @param state         off, starting, running, paused, stopping or failed
 * @param reason        why the VM is in this state (the guest powered off, the worker died, ...), or ""
 * @param uptimeSeconds seconds since the VM started, 0 when it is not running
 * @param heartbeat     the guest's heartbeat integration component: "ok", "lost", "no-contact" or "not-offered"
 * @param memory        guest RAM in bytes
 * @param cpus          virtual processors
 * @param backend       the backend asked for
 * @param disks         the disk images
 * @param workerPid     the worker process, 0 when none runs
 */
public record VmView(String name, String state, String reason, long uptimeSeconds, String heartbeat, long memory, int cpus,
                     String backend, List<String> disks, long workerPid) {
}
