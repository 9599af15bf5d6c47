/** The root side of VMBus on LMAX Disruptor rings. */
module dev.partita.vmbus {
    requires transitive dev.partita.hv;
    requires com.lmax.disruptor;
}
