package dev.partita.devices.storage;

import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.client.ClientChannel;
import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A storvsc-like guest driver over the Java VSC client, for end-to-end tests and the storage
 * benchmark: the initialisation sequence Linux runs, and SRBs whose data lives in a guest buffer
 * (contiguous pages at {@code bufferGpa}), sent as GPA-direct packets.
 */
final class StorvscClient {
    private final ClientChannel ch;
    private final GuestMemory memory;
    private final long bufferGpa;
    private final PacketBuffer in = new PacketBuffer(256);
    private long txid = 1;

    StorvscClient(ClientChannel ch, GuestMemory memory, long bufferGpa) {
        this.ch = ch;
        this.memory = memory;
        this.bufferGpa = bufferGpa;
    }

    GuestMemory memory() {
        return memory;
    }

    long bufferGpa() {
        return bufferGpa;
    }

    /** BEGIN, QUERY_PROTOCOL_VERSION (6.2), QUERY_PROPERTIES, END; returns the max transfer bytes. */
    int initialise() throws Exception {
        check(call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION)), "BEGIN_INITIALIZATION");
        check(call(Vstor.version(0x0602)), "QUERY_PROTOCOL_VERSION");
        byte[] props = call(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES));
        check(props, "QUERY_PROPERTIES");
        check(call(Vstor.op(VstorPacket.OP_END_INITIALIZATION)), "END_INITIALIZATION");
        return LittleEndian.u32(props, VstorPacket.PROPERTIES_MAX_TRANSFER_BYTES);
    }

    private static void check(byte[] reply, String what) throws IOException {
        if (LittleEndian.u32(reply, VstorPacket.OPERATION) != VstorPacket.OP_COMPLETE_IO || Vstor.status(reply) != 0) {
            throw new IOException(what + " failed with status 0x" + Integer.toHexString(Vstor.status(reply)));
        }
    }

    /** Sends an in-band vstor packet and returns the completion's 64 bytes. */
    byte[] call(byte[] vstor) throws Exception {
        long id = txid++;
        if (!ch.send(id, true, vstor, 0, vstor.length)) {
            throw new IOException("ring full");
        }
        return await(id);
    }

    /** Executes {@code cdb} with {@code length} bytes of data at the buffer (read or write). */
    byte[] srb(byte[] cdb, int dataIn, int length) throws Exception {
        send(cdb, dataIn, length);
        return await(txid - 1);
    }

    /** Sends an SRB without waiting (pipelining); pair with {@link #awaitAny()}. */
    long send(byte[] cdb, int dataIn, int length) throws Exception {
        return send(cdb, dataIn, length, bufferGpa);
    }

    /** Sends an SRB whose data lives at page-aligned {@code bufferAt} (contiguous pages). */
    long send(byte[] cdb, int dataIn, int length, long bufferAt) throws Exception {
        long id = txid++;
        byte[] p = Vstor.srb(0, 0, 0, cdb, dataIn, length);
        boolean sent;
        if (length == 0) {
            sent = ch.send(id, true, p, 0, p.length);
        } else {
            sent = ch.sendGpaDirect(id, true, List.of(GpaDirectRange.contiguous(bufferAt, length)), p, 0, p.length);
        }
        if (!sent) {
            throw new IOException("ring full");
        }
        return id;
    }

    /** The next completion (any transaction). */
    byte[] awaitAny() throws Exception {
        if (!ch.receive(in, TimeUnit.SECONDS.toNanos(10))) {
            throw new IOException("no completion within 10 s");
        }
        if (in.type() != PacketType.COMPLETION) {
            throw new IOException("expected a completion, got packet type " + in.type());
        }
        return Arrays.copyOfRange(in.bytes(), in.payloadOffset(), in.payloadOffset() + in.payloadLength());
    }

    /** Transaction id of the completion {@link #awaitAny()} returned last. */
    long lastTransactionId() {
        return in.transactionId();
    }

    private byte[] await(long id) throws Exception {
        byte[] r = awaitAny();
        if (in.transactionId() != id) {
            throw new IOException("completion for transaction " + in.transactionId() + ", expected " + id);
        }
        return r;
    }

    static byte[] read10(long lba, int blocks, boolean write) {
        return new byte[]{(byte) (write ? 0x2A : 0x28), 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8),
                (byte) lba, 0, (byte) (blocks >>> 8), (byte) blocks, 0};
    }
}
