package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;

/**
 * The input block of HvPostMessage, read from guest memory and checked field by field:
 * connection id u32 @0, reserved u32 @4 (zero), message type u32 @8 (non-zero, top bit clear),
 * payload size u32 @12 (at most 240), payload @16. The block is 256 bytes (HV_MESSAGE_SIZE).
 *
 * <p>Stateless; any thread.
 */
final class PostMessageInput {
    private PostMessageInput() {
    }

    /** Size of the input block (connection id, reserved, type, size, 240 payload bytes). */
    static final int BLOCK_SIZE = 16 + MessagePage.MAX_PAYLOAD;

    /** A checked input block. */
    record Message(int connectionId, int messageType, byte[] payload) {
    }

    /** The outcome: a message, or the HV status that rejects the input. */
    sealed interface Parsed {
        record Ok(Message message) implements Parsed {
        }

        record Rejected(int status, String why) implements Parsed {
        }
    }

    /**
     * Reads the block at {@code gpa}. Statuses: {@link HvStatus#INVALID_ALIGNMENT} when the GPA is
     * not 8-byte aligned, the block spans pages, or it is not guest RAM (the TLFS's common
     * status for an input GPA outside the GPA space); {@link HvStatus#INVALID_PARAMETER} for a
     * non-zero reserved field, message type 0 or with bit 31 set, or a payload size over 240.
     */
    static Parsed read(GuestMemory memory, long gpa) {
        if ((gpa & 7) != 0) {
            return new Parsed.Rejected(HvStatus.INVALID_ALIGNMENT, "input GPA 0x" + Long.toHexString(gpa) + " is not 8-byte aligned");
        }
        if ((gpa & (GuestMemory.PAGE_SIZE - 1)) + BLOCK_SIZE > GuestMemory.PAGE_SIZE) {
            return new Parsed.Rejected(HvStatus.INVALID_ALIGNMENT, "input block at 0x" + Long.toHexString(gpa) + " spans pages");
        }
        if (!memory.isRam(gpa, BLOCK_SIZE)) {
            return new Parsed.Rejected(HvStatus.INVALID_ALIGNMENT, "input GPA 0x" + Long.toHexString(gpa) + " is not guest RAM");
        }
        int connectionId = (int) memory.readU32(gpa);
        long reserved = memory.readU32(gpa + 4);
        int type = (int) memory.readU32(gpa + 8);
        long size = memory.readU32(gpa + 12);
        if (reserved != 0) {
            return new Parsed.Rejected(HvStatus.INVALID_PARAMETER, "reserved field is 0x" + Long.toHexString(reserved));
        }
        if (type == 0 || type < 0) {
            return new Parsed.Rejected(HvStatus.INVALID_PARAMETER, "message type 0x" + Integer.toHexString(type)
                    + " (must be non-zero with bit 31 clear)");
        }
        if (size > MessagePage.MAX_PAYLOAD) {
            return new Parsed.Rejected(HvStatus.INVALID_PARAMETER, "payload size " + size + " > " + MessagePage.MAX_PAYLOAD);
        }
        return new Parsed.Ok(new Message(connectionId, type, memory.read(gpa + 16, (int) size)));
    }
}
