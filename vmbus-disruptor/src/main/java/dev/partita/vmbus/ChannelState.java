package dev.partita.vmbus;

/** Life cycle of an offered channel as the root sees it. */
public enum ChannelState {
    /** Offered (or to be offered once the guest asks); not open. */
    OFFERED,
    /** Opened by the guest; its pipeline runs. */
    OPEN,
    /** Rescinded by the root (removed, or closed for a fault); waiting for RELID_RELEASED. */
    RESCINDED
}
