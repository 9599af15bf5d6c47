package dev.partita.vmms.api;

/**
 * One line of the event stream ({@code GET /v1/events}, newline-delimited JSON).
 *
 * @param time   ISO-8601 instant
 * @param vm     the VM's name
 * @param kind   "state" (a state change) or "heartbeat-lost"
 * @param state  the VM's state after the event
 * @param detail why, in words
 */
public record VmEvent(String time, String vm, String kind, String state, String detail) {
}
