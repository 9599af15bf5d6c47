package dev.partita.vmms.worker;

import java.nio.file.Path;

/**
 * The files of one VM in the management service's state directory. The service writes the definition;
 * the worker process owns the control socket, its pid file, the console log and the exit record.
 *
 * @param dir the VM's folder ({@code STATE/vms/NAME})
 */
public record VmFolder(Path dir) {
    /** The definition ({@link dev.partita.vmms.api.VmSpec} as JSON). */
    public Path definition() {
        return dir.resolve("vm.json");
    }

    /** The worker's control socket (present while a worker runs). */
    public Path controlSocket() {
        return dir.resolve("control.sock");
    }

    /** The running worker's process id, as decimal text. */
    public Path pidFile() {
        return dir.resolve("worker.pid");
    }

    /** The exit record ({@link dev.partita.vmms.worker.control.WorkerExit}) a worker writes as it ends. */
    public Path exitFile() {
        return dir.resolve("exit.json");
    }

    /** The guest's console output (bounded; the previous part is {@link #consoleLogPrevious()}). */
    public Path consoleLog() {
        return dir.resolve("console.log");
    }

    /** The console output before the last rotation. */
    public Path consoleLogPrevious() {
        return dir.resolve("console.log.1");
    }

    /** The worker process's own stdout and stderr. */
    public Path workerLog() {
        return dir.resolve("worker.log");
    }
}
