package dev.partita.emulator.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stack-pointer arithmetic at 16, 32 and 64 bits, as PUSH/POP and stack switches rely on it. */
class StackWidthTest {
    @Test
    void offsetsWrapAtTheWidth() {
        assertEquals(0xFFFEL, StackWidth.offset(0 - 2, 16));
        assertEquals(0xFFFF_FFFCL, StackWidth.offset(0 - 4, 32));
        assertEquals(-8L, StackWidth.offset(0 - 8, 64));
        assertEquals(0x0002L, StackWidth.offset(0x1_0000_0002L, 16));
        assertEquals(0xFFFFL, StackWidth.mask(16));
        assertEquals(-1L, StackWidth.mask(64));
    }

    @Test
    void storingKeepsTheUpperBitsOnlyAtSixteen() {
        long rsp = 0x1234_5678_9ABC_DEF0L;
        assertEquals(0x1234_5678_9ABC_0010L, StackWidth.store(rsp, 0xFFFF_0010L, 16), "SP: RSP[63:16] kept");
        assertEquals(0x0000_0000_0000_0010L, StackWidth.store(rsp, 0xFFFF_FFFF_0000_0010L, 32), "ESP: zero-extended");
        assertEquals(0x0000_0000_0000_0010L, StackWidth.store(rsp, 0x10, 64));
    }
}
