package dev.partita.devices.fuzz;

import dev.partita.devices.storage.StorageVsp;
import dev.partita.devices.storage.StorageVspConfig;
import dev.partita.devices.storage.VstorPacket;
import dev.partita.devices.storage.disk.MemoryDisk;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.ContiguousRingData;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;
import dev.partita.vmbus.vsp.VspChannel;

import java.lang.foreign.Arena;
import java.util.UUID;

/**
 * The property the vstor fuzzers check: any sequence of guest packets (any type, any range area,
 * any vstor payload) is handled without an exception escaping {@link StorageVsp#onPacket}, without
 * the VSP failing the channel because of a host exception (only protocol reasons), and every
 * completion has the packet size of a supported version with operation COMPLETE_IO. Guest memory is
 * 1 MiB; every access goes through {@link GuestMemory}, which refuses anything outside it.
 *
 * <p>Input: byte 0 odd = run Linux's initialisation first; then packets, each
 * {@code [type selector][flags][range area length / 8][payload length]} followed by those bytes.
 */
public final class VstorPacketProperty implements AutoCloseable {
    private static final int[] TYPES = {6, 9, 11, 7, 6, 9};
    private final GuestMemory memory = GuestMemory.allocate(1 << 20);
    private final MemoryDisk disk = new MemoryDisk(256, false);
    private final Arena arena = Arena.ofConfined();
    private final RingBuffer ring = new RingBuffer(arena.allocate(4096, 4096), new ContiguousRingData(arena.allocate(16 * 4096, 4096)));
    private final PacketBuffer packet = new PacketBuffer(512);
    public long packets;
    public long completions;

    /** A channel that checks what the VSP sends. */
    private final class CheckingChannel implements VspChannel {
        String failure;

        @Override
        public int relid() {
            return 1;
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
            completions++;
            if (length != VstorPacket.SIZE && length != VstorPacket.SIZE - VstorPacket.WIN8_EXTENSION_SIZE) {
                throw new AssertionError("completion of " + length + " bytes");
            }
            if ((payload[offset] & 0xFF) != VstorPacket.OP_COMPLETE_IO) {
                throw new AssertionError("completion with operation " + payload[offset]);
            }
        }

        @Override
        public void send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length) {
        }

        @Override
        public void fail(String reason) {
            if (reason.contains("Exception") || reason.contains("Error")) {
                throw new AssertionError("channel failed by a host exception: " + reason);
            }
            failure = reason;
        }
    }

    public void check(byte[] input) {
        check(input, null);
    }

    /**
     * Like {@link #check(byte[])}, with {@code savedState} handed to {@link StorageVsp#restoreState}
     * after the optional initialisation and before the packets (refused with
     * {@link IllegalArgumentException} or restored; nothing else may escape). When it restores a
     * single channel entry for the open channel, {@link StorageVsp#saveState()} must give it back.
     */
    public void check(byte[] input, byte[] savedState) {
        ScsiBus bus = new ScsiBus();
        bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("FUZZ"), disk, 1 << 16));
        StorageVsp vsp = new StorageVsp(UUID.randomUUID(), memory, bus, new StorageVspConfig(1 << 16, 64 * 1024));
        CheckingChannel ch = new CheckingChannel();
        vsp.open(ch);
        int at = 0;
        if (input.length > 0 && (input[at++] & 1) != 0) {
            for (byte[] p : initSequence()) {
                deliver(vsp, ch, 6, 1, new byte[0], p);
            }
        }
        if (savedState != null) {
            restore(vsp, savedState);
        }
        while (at + 4 <= input.length && ch.failure == null) {
            int type = TYPES[(input[at] & 0xFF) % TYPES.length];
            int flags = input[at + 1] & 1;
            int rangeLen = Math.min((input[at + 2] & 0xFF) * 8, input.length - at - 4);
            int payloadLen = Math.min(input[at + 3] & 0xFF, input.length - at - 4 - rangeLen);
            byte[] range = java.util.Arrays.copyOfRange(input, at + 4, at + 4 + rangeLen);
            byte[] payload = java.util.Arrays.copyOfRange(input, at + 4 + rangeLen, at + 4 + rangeLen + payloadLen);
            at += 4 + rangeLen + payloadLen;
            deliver(vsp, ch, type, flags, range, payload);
        }
        vsp.close(ch);
    }

    private static void restore(StorageVsp vsp, byte[] savedState) {
        try {
            vsp.restoreState(savedState);
        } catch (IllegalArgumentException refused) {
            return;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(savedState).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (savedState.length == 20 && b.getInt(4) == 1 && b.getInt(8) == 1) {
            if (!java.util.Arrays.equals(savedState, vsp.saveState())) {
                throw new AssertionError("restored channel state does not save back the same: "
                        + java.util.HexFormat.of().formatHex(savedState) + " -> " + java.util.HexFormat.of().formatHex(vsp.saveState()));
            }
        }
    }

    static byte[][] initSequence() {
        byte[][] s = new byte[4][VstorPacket.SIZE];
        int[] ops = {VstorPacket.OP_BEGIN_INITIALIZATION, VstorPacket.OP_QUERY_PROTOCOL_VERSION,
                VstorPacket.OP_QUERY_PROPERTIES, VstorPacket.OP_END_INITIALIZATION};
        for (int i = 0; i < 4; i++) {
            s[i][0] = (byte) ops[i];
            s[i][4] = 1;
        }
        s[1][12] = 0x02;
        s[1][13] = 0x06;
        return s;
    }

    private void deliver(StorageVsp vsp, VspChannel ch, int type, int flags, byte[] range, byte[] payload) {
        int ra = (range.length + 7) & ~7;
        int offset = 16 + ra;
        int total = offset + ((payload.length + 7) & ~7);
        byte[] raw = new byte[total + 8];
        raw[0] = (byte) type;
        raw[2] = (byte) (offset / 8);
        raw[3] = (byte) ((offset / 8) >>> 8);
        raw[4] = (byte) (total / 8);
        raw[5] = (byte) ((total / 8) >>> 8);
        raw[6] = (byte) flags;
        raw[8] = (byte) packets;
        System.arraycopy(range, 0, raw, 16, range.length);
        System.arraycopy(payload, 0, raw, offset, payload.length);
        ring.setReadIndex(0);
        ring.setWriteIndex(0);
        ring.copyIn(0, raw, 0, raw.length);
        ring.setWriteIndex(raw.length);
        try {
            if (!new RingReader(ring, 60 * 1024).next(packet)) {
                throw new AssertionError("packet not read back");
            }
        } catch (RingCorruptException e) {
            throw new AssertionError(e);
        }
        packets++;
        vsp.onPacket(ch, packet, true);
    }

    @Override
    public void close() {
        disk.close();
        memory.close();
        arena.close();
    }
}
