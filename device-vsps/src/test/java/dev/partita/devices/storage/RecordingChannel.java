package dev.partita.devices.storage;

import dev.partita.vmbus.vsp.VspChannel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link VspChannel} that records what the VSP sends (single-threaded tests). */
final class RecordingChannel implements VspChannel {
    record Sent(boolean completion, long txid, byte[] payload) {
    }

    final List<Sent> sent = new ArrayList<>();
    private final int relid;
    String failure;

    RecordingChannel() {
        this(7);
    }

    RecordingChannel(int relid) {
        this.relid = relid;
    }

    @Override
    public int relid() {
        return relid;
    }

    @Override
    public int targetVp() {
        return 0;
    }

    @Override
    public byte[] openUserData() {
        return new byte[120];
    }

    @Override
    public void complete(long transactionId, byte[] payload, int offset, int length) {
        sent.add(new Sent(true, transactionId, Arrays.copyOfRange(payload, offset, offset + length)));
    }

    @Override
    public void send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length) {
        sent.add(new Sent(false, transactionId, Arrays.copyOfRange(payload, offset, offset + length)));
    }

    @Override
    public void fail(String reason) {
        failure = reason;
    }

    Sent last() {
        return sent.getLast();
    }
}
