package dev.partita.vmbus.channel;

/** Told when a channel's pipeline stopped for a guest or VSP fault. Called from any thread; must not block. */
@FunctionalInterface
public interface ChannelFailureListener {
    void channelFailed(int relid, ChannelPipeline pipeline, String reason);
}
