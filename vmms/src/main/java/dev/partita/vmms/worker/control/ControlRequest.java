package dev.partita.vmms.worker.control;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A request on a worker's control socket: one JSON object per line, {@code {"op":"pause"}}. The worker answers
 * each with one {@link ControlReply} line. New verbs (save, checkpoint) are new records here and a case in
 * the worker's exhaustive switch; an older worker answers an unknown {@code op} with an error reply.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ControlRequest.Status.class, name = "status"),
    @JsonSubTypes.Type(value = ControlRequest.Pause.class, name = "pause"),
    @JsonSubTypes.Type(value = ControlRequest.Resume.class, name = "resume"),
    @JsonSubTypes.Type(value = ControlRequest.Shutdown.class, name = "shutdown"),
    @JsonSubTypes.Type(value = ControlRequest.TurnOff.class, name = "turn-off"),
    @JsonSubTypes.Type(value = ControlRequest.ConsoleInput.class, name = "console-input"),
})
public sealed interface ControlRequest {
    /** The worker's state, uptime and heartbeat. */
    record Status() implements ControlRequest {
    }

    /** Takes every processor out of guest mode. */
    record Pause() implements ControlRequest {
    }

    /** Lets the processors run again. */
    record Resume() implements ControlRequest {
    }

    /** Asks the guest to shut down through the shutdown integration component; the reply says whether it accepted. */
    record Shutdown() implements ControlRequest {
    }

    /** Ends the partition at once (pulling the plug); the worker then exits. */
    record TurnOff() implements ControlRequest {
    }

    /** Bytes typed on the VM's console (COM1); base64 in JSON. The reply refuses when the UART's queue is full. */
    record ConsoleInput(byte[] data) implements ControlRequest {
    }
}
