package dev.partita.devices.ic;

import dev.partita.vmbus.vsp.VspChannel;

import java.util.Objects;

/**
 * Where an integration component's channel stands in version negotiation, as a value: closed; the
 * host's offer sent and awaiting the answer with that VMBus transaction id; negotiated with the
 * versions both sides use; or refused, when the guest's answer named no usable version (the
 * component then stays silent until the channel is opened again).
 *
 * <p><b>Threads.</b> Immutable; a component publishes its current state through a volatile field.
 */
public sealed interface IcChannelState {
    /** No open channel. */
    record Closed() implements IcChannelState {
    }

    /** The negotiation offer went out on {@code channel} with VMBus transaction id {@code transaction}. */
    record Negotiating(VspChannel channel, long transaction) implements IcChannelState {
        public Negotiating {
            Objects.requireNonNull(channel);
        }
    }

    /** Versions agreed: requests may be sent on {@code channel}. */
    record Negotiated(VspChannel channel, IcNegotiation.Agreed agreed) implements IcChannelState {
        public Negotiated {
            Objects.requireNonNull(channel);
            Objects.requireNonNull(agreed);
        }
    }

    /** The guest's negotiation answer was refused for {@code reason}. */
    record Refused(VspChannel channel, IcProtocolException.Reason reason, String detail) implements IcChannelState {
        public Refused {
            Objects.requireNonNull(channel);
            Objects.requireNonNull(reason);
        }
    }

    IcChannelState CLOSED = new Closed();
}
