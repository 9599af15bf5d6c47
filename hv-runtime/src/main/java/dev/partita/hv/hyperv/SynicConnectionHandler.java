package dev.partita.hv.hyperv;

/**
 * Receives a partition's guest-to-host VMBus traffic for the connection ids it registered with
 * {@link HyperV#registerConnection}.
 *
 * <p><b>Threads.</b> Both methods run on the thread of the virtual processor that made the
 * hypercall, possibly on several processors at once; they must not block (hand work to another
 * thread, e.g. through a Disruptor ring). An exception thrown here is caught by the dispatcher,
 * logged, and answered to the guest as {@link HvStatus#INVALID_PARAMETER}.
 */
public interface SynicConnectionHandler {

    /**
     * HvPostMessage (0x5C) addressed to {@code connectionId}.
     *
     * @param vpIndex      the calling virtual processor
     * @param connectionId the connection id from the guest's input page (already matched to this handler)
     * @param messageType  the message type from the input page (VMBus uses 1); always positive
     * @param payload      a private copy of the payload (0-240 bytes); the handler may keep it
     * @return an HV status for the guest's RAX ({@link HvStatus#SUCCESS} = 0)
     */
    int onPostMessage(int vpIndex, int connectionId, int messageType, byte[] payload);

    /**
     * HvSignalEvent (0x5D, fast call) addressed to {@code connectionId}.
     *
     * @param vpIndex      the calling virtual processor
     * @param connectionId the connection id (RDX bits 0-31)
     * @param flagNumber   the flag number (RDX bits 32-47)
     * @return an HV status for the guest's RAX
     */
    int onSignalEvent(int vpIndex, int connectionId, int flagNumber);
}
