package dev.partita.devices.ic;

import java.time.Instant;

/**
 * What the host knows of the guest's liveness.
 *
 * @param negotiated     whether the heartbeat channel is open and its versions agreed
 * @param lastSequence   the sequence number of the last valid answer (the host's number + 1), -1 if none yet
 * @param lastSeen       when that answer arrived (null if none)
 * @param answers        valid answers so far
 * @param badAnswers     answers with a wrong sequence number or a failure status
 */
public record HeartbeatStatus(boolean negotiated, long lastSequence, Instant lastSeen, long answers, long badAnswers) {
    /** Whether a valid answer arrived within {@code maxAgeMillis} of {@code now}. */
    public boolean aliveAt(Instant now, long maxAgeMillis) {
        return lastSeen != null && !lastSeen.plusMillis(maxAgeMillis).isBefore(now);
    }
}
