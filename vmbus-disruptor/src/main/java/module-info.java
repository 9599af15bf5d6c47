/** The root side of VMBus on LMAX Disruptor rings. */
module dev.partita.vmbus {
    requires transitive dev.partita.hv;
    requires transitive com.lmax.disruptor;
    exports dev.partita.vmbus;
    exports dev.partita.vmbus.protocol;
    exports dev.partita.vmbus.ring;
    exports dev.partita.vmbus.gpadl;
    exports dev.partita.vmbus.channel;
    exports dev.partita.vmbus.vsp;
}
