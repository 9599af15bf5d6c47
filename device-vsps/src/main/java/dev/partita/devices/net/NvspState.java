package dev.partita.devices.net;

/**
 * Where one NIC channel's NVSP handshake stands. Immutable values; the channel's reader thread owns
 * the current one.
 */
public sealed interface NvspState {
    /** No version agreed yet: only INIT is accepted. */
    record AwaitingInit() implements NvspState {
    }

    /**
     * A version is agreed. {@code mtu} is 0 until the guest sends NDIS config; {@code ndisMajor} and
     * {@code ndisMinor} are 0 until it sends its NDIS version.
     */
    record Negotiated(NvspVersion version, int ndisMajor, int ndisMinor, int mtu) implements NvspState {
    }
}
