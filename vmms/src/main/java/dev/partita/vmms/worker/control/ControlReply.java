package dev.partita.vmms.worker.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A worker's answer to one {@link ControlRequest}.
 *
 * @param ok        whether the request was carried out
 * @param error     why not, when {@code ok} is false
 * @param state     "running" or "paused" (the worker's view after the request)
 * @param pid       the worker's process id
 * @param startedAt when the partition started, milliseconds since the epoch
 * @param heartbeat "ok", "lost", "no-contact" or "not-offered"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlReply(boolean ok, String error, String state, long pid, long startedAt, String heartbeat) {
    /** A refusal. */
    public static ControlReply refused(String error) {
        return new ControlReply(false, error, null, ProcessHandle.current().pid(), 0, null);
    }
}
