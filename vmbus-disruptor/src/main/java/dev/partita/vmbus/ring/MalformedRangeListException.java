package dev.partita.vmbus.ring;

/**
 * The range list of one GPA-direct packet contradicts itself or its packet (count, offsets, PFN
 * count). Only that packet is refused: the device answers it with an error and the channel stays open.
 */
public final class MalformedRangeListException extends Exception {
    public MalformedRangeListException(String message) {
        super(message);
    }
}
