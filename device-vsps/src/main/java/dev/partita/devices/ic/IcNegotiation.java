package dev.partita.devices.ic;

import java.util.List;

/**
 * Version negotiation (message type 0, layout in {@link IcRequest.Negotiate}): the host lists what
 * it supports, newest first; the guest answers with counts 1/1 and the two versions it picked, or
 * counts 0/0 when nothing matched. {@link #agree} turns the answer into the versions both sides use.
 */
public final class IcNegotiation {
    /** Framework versions Partita offers (UTIL_FW_VERSION 3.0, UTIL_WS2K8_FW_VERSION 1.0). */
    public static final List<IcVersion> FRAMEWORK = List.of(IcVersion.V3_0, IcVersion.V1_0);

    /** The versions both sides agreed. */
    public record Agreed(IcVersion framework, IcVersion message) {
    }

    private IcNegotiation() {
    }

    /** The negotiation request offering {@link #FRAMEWORK} and {@code messageVersions}. */
    static IcRequest.Negotiate offer(List<IcVersion> messageVersions) {
        return new IcRequest.Negotiate(FRAMEWORK, messageVersions);
    }

    /**
     * The guest's choice from its answer.
     *
     * @throws IcProtocolException {@link IcProtocolException.Reason#NO_COMMON_VERSION} when the guest
     *                             found none; {@link IcProtocolException.Reason#BAD_NEGOTIATION} when
     *                             it did not choose exactly one of each or chose one not offered
     */
    static Agreed agree(IcResponse.Negotiate answer, List<IcVersion> messageVersions) throws IcProtocolException {
        if (answer.framework().isEmpty() && answer.message().isEmpty()) {
            throw new IcProtocolException(IcProtocolException.Reason.NO_COMMON_VERSION, "the guest found no common version");
        }
        if (answer.framework().size() != 1 || answer.message().size() != 1) {
            throw new IcProtocolException(IcProtocolException.Reason.BAD_NEGOTIATION, "the guest chose "
                    + answer.framework().size() + " framework and " + answer.message().size() + " message versions");
        }
        IcVersion fw = answer.framework().getFirst();
        IcVersion msg = answer.message().getFirst();
        if (!FRAMEWORK.contains(fw) || !messageVersions.contains(msg)) {
            throw new IcProtocolException(IcProtocolException.Reason.BAD_NEGOTIATION,
                    "the guest chose framework " + fw + " and message " + msg + ", which were not offered");
        }
        return new Agreed(fw, msg);
    }
}
