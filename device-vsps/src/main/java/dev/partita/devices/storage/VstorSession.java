package dev.partita.devices.storage;

/**
 * The initialisation state of one open storvsc channel: BEGIN_INITIALIZATION, then
 * QUERY_PROTOCOL_VERSION until a version is agreed, QUERY_PROPERTIES, END_INITIALIZATION; SRBs are
 * accepted only when {@link State#READY}. BEGIN_INITIALIZATION starts over from any state.
 *
 * <p><b>Threads.</b> Touched only by the channel's VSP handler thread (and read by
 * {@link StorageVsp#saveState()} after the channels stopped).
 */
final class VstorSession {
    enum State { OPENED, INITIALIZING, VERSIONED, READY }

    volatile State state = State.OPENED;
    volatile VstorProtocolVersion version;

    /** Packet size of the current version; the full Windows 8 size before one is agreed. */
    int packetSize() {
        VstorProtocolVersion v = version;
        return v == null ? VstorPacket.SIZE : v.packetSize();
    }

    int senseBufferSize() {
        VstorProtocolVersion v = version;
        return v == null ? VstorPacket.SRB_SENSE_MAX : v.senseBufferSize();
    }
}
