package dev.partita.hv.hyperv;

/**
 * A message waiting for, or written into, a SynIC message slot. Immutable.
 *
 * @param type    message type (non-zero)
 * @param origin  the header's port/sender field (0 for host-posted messages)
 * @param payload 0-240 bytes (copied in and out)
 */
public record SynicMessage(int type, long origin, byte[] payload) {
    public SynicMessage {
        if (type == 0) {
            throw new IllegalArgumentException("SynIC message type 0 means 'empty slot'");
        }
        if (payload.length > MessagePage.MAX_PAYLOAD) {
            throw new IllegalArgumentException("SynIC message payload of " + payload.length + " bytes (at most "
                    + MessagePage.MAX_PAYLOAD + ")");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
