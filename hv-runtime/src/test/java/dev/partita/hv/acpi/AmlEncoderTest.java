package dev.partita.hv.acpi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AmlEncoderTest {

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void pkgLengthUsesOneByteUpTo63IncludingItself() {
        assertArrayEquals(b(0x01), AmlEncoder.pkgLength(0));
        assertArrayEquals(b(0x3F), AmlEncoder.pkgLength(0x3E));
    }

    @Test
    void pkgLengthSwitchesToTwoBytesAt64() {
        // body 0x3F + 2 length bytes = 0x41: lead = 01xx_0001, next = 0x04
        assertArrayEquals(b(0x41, 0x04), AmlEncoder.pkgLength(0x3F));
        // largest 2-byte value: total 0xFFF
        assertArrayEquals(b(0x4F, 0xFF), AmlEncoder.pkgLength(0xFFD));
    }

    @Test
    void pkgLengthThreeAndFourBytes() {
        // total 0x1001 needs 3 bytes: lead 10xx_0001, then 0x00, 0x01
        assertArrayEquals(b(0x81, 0x00, 0x01), AmlEncoder.pkgLength(0xFFE));
        assertArrayEquals(b(0x8F, 0xFF, 0xFF), AmlEncoder.pkgLength(0xFFFFC));
        assertArrayEquals(b(0xC1, 0x00, 0x00, 0x01), AmlEncoder.pkgLength(0xFFFFD));
        assertArrayEquals(b(0xCF, 0xFF, 0xFF, 0xFF), AmlEncoder.pkgLength(0x0FFF_FFFB));
        assertThrows(IllegalArgumentException.class, () -> AmlEncoder.pkgLength(0x0FFF_FFFC));
    }

    @Test
    void pkgLengthRoundTripsThroughADecoder() {
        for (int body : new int[] {0, 1, 0x3E, 0x3F, 0x40, 0x100, 0xFFD, 0xFFE, 0x12345, 0xFFFFC, 0xFFFFD, 0x123_4567}) {
            byte[] enc = AmlEncoder.pkgLength(body);
            int n = ((enc[0] & 0xFF) >>> 6) + 1;
            assertEquals(n, enc.length);
            long total = n == 1 ? enc[0] & 0x3F : enc[0] & 0x0F;
            for (int i = 1; i < n; i++) {
                total |= (long) (enc[i] & 0xFF) << (4 + 8 * (i - 1));
            }
            assertEquals(body + n, total, "body " + body);
        }
    }

    @Test
    void integersUseTheShortestEncoding() {
        assertArrayEquals(b(0x00), AmlEncoder.integer(0));
        assertArrayEquals(b(0x01), AmlEncoder.integer(1));
        assertArrayEquals(b(0x0A, 0x0F), AmlEncoder.integer(15));
        assertArrayEquals(b(0x0B, 0xF8, 0x03), AmlEncoder.integer(0x3F8));
        assertArrayEquals(b(0x0C, 0x00, 0x00, 0xC0, 0xFE), AmlEncoder.integer(0xFEC00000L));
        assertArrayEquals(b(0x0E, 0, 0, 0, 0, 1, 0, 0, 0), AmlEncoder.integer(1L << 32));
    }

    @Test
    void namesAndEisaIds() {
        assertArrayEquals("COM1".getBytes(), AmlEncoder.nameSeg("COM1"));
        assertArrayEquals("KBD_".getBytes(), AmlEncoder.nameSeg("KBD"));
        assertArrayEquals(b('\\', 0x2E, '_', 'S', 'B', '_', 'C', 'O', 'M', '1'), AmlEncoder.nameString("\\_SB.COM1"));
        assertThrows(IllegalArgumentException.class, () -> AmlEncoder.nameSeg("1ABC"));
        assertThrows(IllegalArgumentException.class, () -> AmlEncoder.nameSeg("com1"));
        assertEquals(0x0105D041L, EisaId.encode("PNP0501"));
        assertEquals(0x0303D041L, EisaId.encode("PNP0303"));
        assertThrows(IllegalArgumentException.class, () -> EisaId.encode("PNP05"));
    }

    @Test
    void resourceTemplateEndsWithAChecksumThatZeroesTheSum() {
        byte[] t = new ResourceTemplate().io(0x3F8, 8).irq(4).toBytes();
        assertArrayEquals(b(0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x01, 0x08, 0x22, 0x10, 0x00, 0x79), java.util.Arrays.copyOf(t, 12));
        int sum = 0;
        for (byte x : t) {
            sum += x;
        }
        assertEquals(0, sum & 0xFF);
        assertArrayEquals(b(0x79, 0x87), new ResourceTemplate().toBytes());
    }
}
