package dev.partita.hv.memory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PcRamLayoutTest {
    @Test
    void ramBelowTheHoleIsOneRegion() {
        assertEquals(List.of(new RamRegionSpec(0, 512L << 20)), PcRamLayout.regions(512L << 20));
        assertEquals(List.of(new RamRegionSpec(0, 0xD000_0000L)), PcRamLayout.regions(0xD000_0000L));
    }

    @Test
    void theRestGoesAbove4GiB() {
        long six = 6L << 30;
        assertEquals(List.of(new RamRegionSpec(0, 0xD000_0000L), new RamRegionSpec(1L << 32, six - 0xD000_0000L)),
                PcRamLayout.regions(six));
        assertEquals(List.of(new RamRegionSpec(0, 0xD000_0000L), new RamRegionSpec(1L << 32, 4096)),
                PcRamLayout.regions(0xD000_1000L));
    }
}
