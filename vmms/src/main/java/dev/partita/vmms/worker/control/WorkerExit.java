package dev.partita.vmms.worker.control;

/**
 * What a worker leaves in {@code exit.json} in its VM's folder when its partition ends (or could not be built),
 * just before the process exits. A worker that dies without writing it died abnormally.
 *
 * @param failed whether the VM failed (an internal error, a bad definition, a triple fault) rather than stopped
 * @param reason what happened, in words
 */
public record WorkerExit(boolean failed, String reason) {
}
