package dev.partita.devices.net;

/**
 * The network protocol layer's one error type: an NVSP message from the guest that this VSP cannot
 * accept, with a message naming the bad value. Thrown for one NIC's channel only. Created without a
 * stack trace: it reports guest input, not a host fault.
 */
public final class NetProtocolException extends Exception {
    public NetProtocolException(String message) {
        super(message, null, false, false);
    }
}
