package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;

import java.lang.invoke.VarHandle;

/**
 * The layout of the SynIC message page (SIMP) and the host's side of a message slot: 16 slots
 * of 256 bytes (HV_MESSAGE), slot n for SINT n. Header: message type u32 @0 (0 = empty), payload
 * size u8 @4, flags u8 @5 (bit 0 = message pending), reserved u16 @6, port/sender u64 @8; payload
 * (240 bytes) @16.
 *
 * <p>The guest empties a slot by writing type 0, then reads the pending flag and writes EOM if it
 * is set. The host fills an empty slot payload first and type last (release order), and marks a
 * full slot pending, then looks at the type again after a full fence: whichever of guest and host
 * writes last, one of them sees the other's write, so a queued message is never stranded.
 *
 * <p>Stateless; callers serialize access to one slot (the SynIC's per-processor lock).
 */
final class MessagePage {
    private MessagePage() {
    }

    static final int SLOT_SIZE = 256;
    static final int OFFSET_TYPE = 0;
    static final int OFFSET_PAYLOAD_SIZE = 4;
    static final int OFFSET_FLAGS = 5;
    static final int OFFSET_RESERVED = 6;
    static final int OFFSET_ORIGIN = 8;
    static final int OFFSET_PAYLOAD = 16;
    /** HV_MESSAGE_MAX_PAYLOAD_BYTE_COUNT. */
    static final int MAX_PAYLOAD = 240;
    /** Flags bit 0: more messages are queued for this slot (MessagePending). */
    static final int FLAG_PENDING = 1;

    static long slot(long pageGpa, int sint) {
        return pageGpa + (long) sint * SLOT_SIZE;
    }

    static boolean isEmpty(GuestMemory memory, long slot) {
        return memory.readU32(slot + OFFSET_TYPE) == 0;
    }

    /**
     * Writes {@code message} into the empty slot: payload (zero padded to 240 bytes), size, flags,
     * origin, then after a release fence the type, which publishes it to the guest.
     */
    static void fill(GuestMemory memory, long slot, SynicMessage message, boolean pending) {
        byte[] data = message.payload();
        byte[] payload = new byte[MAX_PAYLOAD];
        System.arraycopy(data, 0, payload, 0, data.length);
        memory.write(slot + OFFSET_PAYLOAD, payload);
        memory.writeU8(slot + OFFSET_PAYLOAD_SIZE, data.length);
        memory.writeU8(slot + OFFSET_FLAGS, pending ? FLAG_PENDING : 0);
        memory.writeU16(slot + OFFSET_RESERVED, 0);
        memory.writeU64(slot + OFFSET_ORIGIN, message.origin());
        VarHandle.releaseFence();
        memory.writeU32(slot + OFFSET_TYPE, Integer.toUnsignedLong(message.type()));
    }

    /**
     * Marks the full slot pending and reports whether it is still full after a full fence. False
     * means the guest emptied it meanwhile (and may not have seen the flag): deliver now.
     */
    static boolean markPendingIfStillFull(GuestMemory memory, long slot) {
        memory.writeU8(slot + OFFSET_FLAGS, memory.readU8(slot + OFFSET_FLAGS) | FLAG_PENDING);
        VarHandle.fullFence();
        return !isEmpty(memory, slot);
    }
}
