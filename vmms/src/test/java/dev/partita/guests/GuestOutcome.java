package dev.partita.guests;

import dev.partita.hv.PartitionResult;

/**
 * How one guest run ended and what it printed on the debug console (port 0xE9).
 *
 * @param guest   image file name
 * @param backend backend name
 * @param result  why the partition ended
 * @param console console text (ISO-8859-1)
 * @param millis  wall time from start to the end of the partition
 */
record GuestOutcome(String guest, String backend, PartitionResult result, String console, long millis) {
    /** A description for assertion messages: result report and the console output. */
    String describe() {
        return guest + " on " + backend + ": " + result.report() + " after " + millis + " ms\n--- console ---\n" + console
                + (console.endsWith("\n") ? "" : "\n") + "---------------";
    }
}
