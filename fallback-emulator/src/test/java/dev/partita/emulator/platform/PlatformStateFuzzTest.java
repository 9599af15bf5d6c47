package dev.partita.emulator.platform;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the emulator platform's checkpoint decoder and restore: {@link PlatformStateCodec#decode}
 * on any bytes (the trailing CRC-32 made right when the input's first byte says so, so the fuzzer
 * reaches the fields), {@link PcPlatform#restore} of what decodes into a two-processor platform,
 * then the guest's view of the restored devices: PIC, PIT and ELCR ports, I/O APIC and local APIC
 * registers, interrupt acknowledge cycles, and the clock moving on.
 *
 * <p>Properties: decoding ends in a state or an {@link IllegalArgumentException}; a decoded state
 * encodes to the same bytes; restore ends normally or in {@link IllegalArgumentException}, and a
 * refused state leaves every device as it was; after a restore, no guest access or timer tick
 * throws, acknowledged vectors are 0-255, and saving again gives a state that restores and saves
 * to itself (the restored devices are in a state they can keep).
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/emulator/platform/PlatformStateFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class PlatformStateFuzzTest {
    private static final int[] PORTS = {0x20, 0x21, 0xA0, 0xA1, 0x40, 0x41, 0x42, 0x43, 0x61, 0x4D0, 0x4D1};
    private static final int[] LAPIC_REGS = {0x20, 0x30, 0x80, 0x90, 0xA0, 0xB0, 0xD0, 0xE0, 0xF0, 0x100, 0x200, 0x280,
        0x300, 0x310, 0x320, 0x330, 0x340, 0x350, 0x360, 0x370, 0x380, 0x390, 0x3E0};
    static long executions;

    @AfterAll
    static void report() {
        System.out.println("PlatformStateFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyImage(byte[] data) {
        check(data);
    }

    /** Deterministic complement for CI: images of busy platforms with random bytes changed and the CRC fixed. */
    @Test
    void damagedImagesAreRefusedOrRestoredWhole() {
        SplittableRandom rng = new SplittableRandom(0x8259);
        byte[] base = busyImage();
        for (int n = 0; n < 600; n++) {
            byte[] image = base.clone();
            for (int k = rng.nextInt(1, 4); k > 0; k--) {
                int at = rng.nextInt(10, image.length - 4);
                image[at] = (byte) (rng.nextInt(3) == 0 ? rng.nextInt(256) : image[at] ^ (1 << rng.nextInt(8)));
            }
            byte[] input = new byte[image.length + 1];
            input[0] = 1;
            System.arraycopy(image, 0, input, 1, image.length);
            check(input);
        }
    }

    /** The image of a two-processor platform with programmed PIC, PIT, I/O APIC and local APIC timer. */
    static byte[] busyImage() {
        PlatformRig rig = new PlatformRig(2);
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

    static void check(byte[] data) {
        executions++;
        if (data.length == 0) {
            return;
        }
        byte[] image = Arrays.copyOfRange(data, 1, data.length);
        if ((data[0] & 1) != 0 && image.length >= 4) {
            CRC32 crc = new CRC32();
            crc.update(image, 0, image.length - 4);
            int v = (int) crc.getValue();
            for (int i = 0; i < 4; i++) {
                image[image.length - 4 + i] = (byte) (v >>> (24 - 8 * i));
            }
        }
        PcPlatform.State state;
        try {
            state = PlatformStateCodec.decode(image);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertArrayEquals(image, PlatformStateCodec.encode(state), "encode(decode(image)) == image");
        PlatformRig rig = new PlatformRig(2);
        byte[] before = PlatformStateCodec.encode(rig.platform.save());
        try {
            rig.platform.restore(state);
        } catch (IllegalArgumentException refused) {
            assertArrayEquals(before, PlatformStateCodec.encode(rig.platform.save()), "a refused state changes nothing");
            return;
        }
        byte[] saved = PlatformStateCodec.encode(rig.platform.save());
        PlatformRig again = new PlatformRig(2);
        again.platform.restore(PlatformStateCodec.decode(saved));
        assertArrayEquals(saved, PlatformStateCodec.encode(again.platform.save()), "a saved state restores to itself");
        exercise(rig, data);
    }

    /** Guest accesses and clock ticks on the restored platform, driven by the input bytes. */
    private static void exercise(PlatformRig rig, byte[] data) {
        for (int i = 0; i < Math.min(data.length, 64); i++) {
            int b = data[i] & 0xFF;
            int cpu = b & 1;
            switch (b % 6) {
                case 0 -> rig.dev(0).writePort(PORTS[b % PORTS.length], 1, data[(i + 1) % data.length] & 0xFF);
                case 1 -> rig.dev(0).readPort(PORTS[b % PORTS.length], 1);
                case 2 -> rig.lapicWrite(cpu, LAPIC_REGS[b % LAPIC_REGS.length], data[(i + 2) % data.length] * 0x01010101);
                case 3 -> rig.lapicRead(cpu, LAPIC_REGS[b % LAPIC_REGS.length]);
                case 4 -> rig.ioapicRead(b % 0x40);
                default -> rig.clock.advance(b * 1_000L);
            }
            for (int c = 0; c < 2; c++) {
                rig.cpu(c).takeNmi();
                int v = rig.take(c);
                assertTrue(v >= -1 && v <= 255, "acknowledged vector " + v);
                rig.cpu(c).nanosToNextEvent();
            }
        }
    }
}
