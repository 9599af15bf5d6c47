package dev.partita.emulator.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The checkpoint image of the platform: round trip, and clear errors for damaged images. */
class PlatformStateCodecTest {

    private static byte[] busyPlatformImage(PlatformRig rig) {
        rig.initPic(0x08, 0x70, false);
        rig.out(0x43, 0x34);
        rig.out(0x40, 0x9C);
        rig.out(0x40, 0x2E);
        rig.out(0x21, 0xFE);
        rig.enableApic(1);
        rig.lapicWrite(1, 0x3E0, 0xB);
        rig.lapicWrite(1, 0x320, 0x44 | (1 << 17));
        rig.lapicWrite(1, 0x380, 50_000);
        rig.ioapicWrite(0x10 + 2 * 5, 0x35 | (1 << 15));
        rig.platform.signalMsi(0xFEE0_1000L, 0x4A);
        rig.clock.advance(12_345);
        return PlatformStateCodec.encode(rig.platform.save());
    }

    @Test
    void roundTripRestoresEquivalentDevices() {
        PlatformRig rig = new PlatformRig(2);
        byte[] image = busyPlatformImage(rig);
        PcPlatform.State decoded = PlatformStateCodec.decode(image);
        assertArrayEquals(image, PlatformStateCodec.encode(decoded), "decode then encode is the identity");
        PlatformRig other = new PlatformRig(2);
        other.platform.restore(decoded);
        assertEquals(50_000 - 12_345, other.lapicRead(1, 0x390));
        assertEquals(rig.platform.pit().count(0), other.platform.pit().count(0));
        assertEquals(0x35 | (1 << 15), other.ioapicRead(0x10 + 2 * 5));
        assertEquals(0x4A, other.take(1));
    }

    @Test
    void damagedImagesAreRefusedWithAReason() {
        byte[] image = busyPlatformImage(new PlatformRig(2));
        byte[] flipped = image.clone();
        flipped[40] ^= 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PlatformStateCodec.decode(flipped))
                .getMessage().contains("CRC"));
        byte[] cut = Arrays.copyOf(image, image.length / 2);
        assertThrows(IllegalArgumentException.class, () -> PlatformStateCodec.decode(cut));
        assertThrows(IllegalArgumentException.class, () -> PlatformStateCodec.decode(new byte[3]));
    }
}
