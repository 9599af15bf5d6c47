package dev.partita.devices.storage;

import java.util.Objects;

/**
 * The initialisation state of one open storvsc channel, as a value: BEGIN_INITIALIZATION leads
 * from any state to {@link Initializing}; QUERY_PROTOCOL_VERSION with a supported version to
 * {@link Versioned}; END_INITIALIZATION from there to {@link Ready}, the only state in which SRBs
 * run. The agreed version exists only in the states that have one, so a ready session without a
 * version cannot be written down.
 *
 * <p><b>Threads.</b> Immutable; the VSP keeps the current value per channel and replaces it on the
 * channel's handler thread.
 */
sealed interface VstorSession {
    /** Opened by the guest, no BEGIN_INITIALIZATION yet. */
    record Opened() implements VstorSession {
    }

    /** BEGIN_INITIALIZATION received; no version agreed. */
    record Initializing() implements VstorSession {
    }

    /** A protocol version is agreed; properties may be queried and END_INITIALIZATION sent. */
    record Versioned(VstorProtocolVersion version) implements VstorSession {
        public Versioned {
            Objects.requireNonNull(version);
        }
    }

    /** Initialisation finished: SRBs, resets and bus enumeration are served. */
    record Ready(VstorProtocolVersion version) implements VstorSession {
        public Ready {
            Objects.requireNonNull(version);
        }
    }

    VstorSession OPENED = new Opened();
    VstorSession INITIALIZING = new Initializing();

    /** Packet size of the agreed version; the full Windows 8 size before one is agreed. */
    default int packetSize() {
        return switch (this) {
            case Versioned v -> v.version().packetSize();
            case Ready r -> r.version().packetSize();
            case Opened o -> VstorPacket.SIZE;
            case Initializing i -> VstorPacket.SIZE;
        };
    }

    /** Size of the SRB sense area in the agreed version; the largest before one is agreed. */
    default int senseBufferSize() {
        return switch (this) {
            case Versioned v -> v.version().senseBufferSize();
            case Ready r -> r.version().senseBufferSize();
            case Opened o -> VstorPacket.SRB_SENSE_MAX;
            case Initializing i -> VstorPacket.SRB_SENSE_MAX;
        };
    }
}
