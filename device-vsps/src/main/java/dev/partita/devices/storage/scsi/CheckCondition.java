package dev.partita.devices.storage.scsi;

/**
 * Thrown inside command execution to end a command with CHECK CONDITION and the given sense.
 * A protocol outcome for the initiator, not a host failure: it carries no stack trace.
 */
final class CheckCondition extends Exception {
    final SenseData sense;

    CheckCondition(SenseData sense) {
        super(sense.toString(), null, false, false);
        this.sense = sense;
    }
}
