package dev.partita.guests;

import dev.partita.hv.PartitionConfig;
import dev.partita.hv.loader.ElfImage;
import dev.partita.hv.loader.FlatImage;
import dev.partita.hv.loader.GuestImage;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.hv.memory.GuestMemory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built guest images follow the formats of guests/README.md and Partita's loader accepts them into
 * the default 32 MiB of RAM: flat images as real-mode images at 0x7C00, the others as ELF files whose
 * entry point lies in a loaded segment below the end of RAM. No backend needed.
 */
class GuestImageFilesTest {
    @BeforeAll
    static void imagesBuilt() {
        GuestImages.unavailableReason().ifPresent(reason -> {
            System.out.println("SKIP guest image files: " + reason);
            Assumptions.abort(reason);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"real-mode.bin", "loop-forever.bin", "exit-flood.bin", "exit-loop.bin"})
    void flatImagesLoadAtTheBootSectorAddress(String name) throws Exception {
        GuestImage image = ImageSniffer.read(GuestImages.image(name));
        assertInstanceOf(FlatImage.class, image, image.describe());
        try (GuestMemory ram = GuestMemory.allocate(PartitionConfig.DEFAULT_MEMORY)) {
            LoadedImage loaded = image.loadInto(ram);
            assertEquals(0x7C00, loaded.lowestGpa());
            assertEquals(0x7C00, loaded.bootState().rip());
            assertTrue(loaded.endGpa() <= 0x10000, "flat guests fit in segment 0: " + image.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pm32.elf", "long64.elf", "cpl3.elf", "cpl3-bench.elf", "triple-fault.elf", "unmapped-memory.elf"})
    void elfImagesLoadWithTheirEntryInALoadedSegment(String name) throws Exception {
        GuestImage image = ImageSniffer.read(GuestImages.image(name));
        ElfImage elf = assertInstanceOf(ElfImage.class, image, image.describe());
        try (GuestMemory ram = GuestMemory.allocate(PartitionConfig.DEFAULT_MEMORY)) {
            LoadedImage loaded = image.loadInto(ram);
            assertEquals(elf.entry(), loaded.bootState().rip());
            assertTrue(elf.segments().stream().anyMatch(s -> s.contains(elf.entry())), image.describe());
            assertTrue(loaded.lowestGpa() >= 0x100000 && loaded.endGpa() <= 8L << 20,
                    "ELF guests live between 1 MiB and 8 MiB: " + image.describe());
        }
    }

    @Test
    void exitLoopCarriesAPatchableIterationCount() throws IOException {
        byte[] image = Files.readAllBytes(GuestImages.image("exit-loop.bin"));
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("NITR", new String(image, 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(100_000, b.getInt(8));
    }
}
