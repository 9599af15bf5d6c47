package dev.partita.devices.ic;

import java.util.List;

/**
 * A guest's answer to an integration-component message, parsed once from the packet by
 * {@link IcMessage#parseResponse}: one record per message type with the fields the host uses, so
 * the components never read message offsets. {@code status} is the HRESULT of the IC header.
 *
 * <p><b>Threads.</b> Immutable values.
 */
public sealed interface IcResponse {
    int status();

    /**
     * The guest's negotiation answer: the framework and message versions it chose (one each), or
     * none when it found no common version.
     */
    record Negotiate(int status, List<IcVersion> framework, List<IcVersion> message) implements IcResponse {
        public Negotiate {
            framework = List.copyOf(framework);
            message = List.copyOf(message);
        }
    }

    /** A heartbeat answer carrying the guest's sequence number (the host's plus one). */
    record Heartbeat(int status, long sequence) implements IcResponse {
    }

    /** The answer to a shutdown request: S_OK means the guest is powering off. */
    record Shutdown(int status) implements IcResponse {
    }

    /** The acknowledgement of a time sample. */
    record TimeSync(int status) implements IcResponse {
    }
}
