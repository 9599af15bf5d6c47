package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The host side of one message slot. */
class MessagePageTest {

    @Test
    void fillWritesTheHeaderAndPayload() {
        try (GuestMemory m = GuestMemory.allocate(1 << 16)) {
            long slot = MessagePage.slot(0x1000, 3);
            assertEquals(0x1000 + 3 * 256, slot);
            m.fill(slot, 256, (byte) 0xEE);
            MessagePage.fill(m, slot, new SynicMessage(0x42, 0x1234_5678_9ABCL, new byte[] {1, 2, 3}), true);
            assertEquals(0x42, m.readU32(slot));
            assertEquals(3, m.readU8(slot + 4));
            assertEquals(MessagePage.FLAG_PENDING, m.readU8(slot + 5));
            assertEquals(0, m.readU16(slot + 6), "reserved");
            assertEquals(0x1234_5678_9ABCL, m.readU64(slot + 8), "port / origin");
            assertArrayEquals(new byte[] {1, 2, 3}, m.read(slot + 16, 3));
            assertArrayEquals(new byte[237], m.read(slot + 19, 237), "payload padded with zeros");
        }
    }

    @Test
    void pendingMarkReportsAFullSlotAndSeesOneTheGuestEmptied() {
        try (GuestMemory m = GuestMemory.allocate(1 << 16)) {
            long slot = MessagePage.slot(0x1000, 2);
            MessagePage.fill(m, slot, new SynicMessage(1, 0, new byte[0]), false);
            assertTrue(MessagePage.markPendingIfStillFull(m, slot), "still full: the guest will EOM");
            assertEquals(MessagePage.FLAG_PENDING, m.readU8(slot + 5));
            m.writeU32(slot, 0); // the guest emptied it (and may have read the flags before they were set)
            assertFalse(MessagePage.markPendingIfStillFull(m, slot), "empty: the host must deliver now, not wait for EOM");
        }
    }
}
