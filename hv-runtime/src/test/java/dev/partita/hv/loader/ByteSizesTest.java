package dev.partita.hv.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteSizesTest {

    @Test
    void parsesBinaryUnits() {
        assertEquals(32L << 20, ByteSizes.parse("32M"));
        assertEquals(32L << 20, ByteSizes.parse("32m"));
        assertEquals(32L << 20, ByteSizes.parse("32MiB"));
        assertEquals(512L << 10, ByteSizes.parse("512K"));
        assertEquals(2L << 30, ByteSizes.parse(" 2G "));
        assertEquals(4096, ByteSizes.parse("4096"));
        assertEquals(1L << 40, ByteSizes.parse("1T"));
    }

    @Test
    void rejectsNonsense() {
        for (String bad : new String[] {"", "M", "-5M", "3.5M", "32X", "32 MBs", "0x100", "99999999999999999999",
                "9999999999999G", "abc"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(bad), bad);
            assertEquals(-1, e.getMessage().indexOf('\n'));
        }
    }

    @Test
    void formats() {
        assertEquals("40 MiB", ByteSizes.human(40L << 20));
        assertEquals("32 MiB", ByteSizes.human(32L << 20));
        assertEquals("1.5 KiB", ByteSizes.human(1536));
        assertEquals("100 bytes", ByteSizes.human(100));
        assertEquals("2 GiB", ByteSizes.human(2L << 30));
    }
}
