package dev.partita.hv;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Backend names are parsed once into a {@link BackendChoice}; anything else is refused with the accepted names. */
class BackendChoiceTest {

    @Test
    void namesParseIgnoringCaseAndBlanks() {
        assertEquals(BackendChoice.AUTO, BackendChoice.parse("auto"));
        assertEquals(BackendChoice.KVM, BackendChoice.parse(" KVM "));
        assertEquals(BackendChoice.EMULATOR, BackendChoice.parse("Emulator"));
        assertEquals(PartitionConfig.AUTO, BackendChoice.AUTO.id());
        assertEquals("emulator", new PartitionConfig("p", PartitionConfig.DEFAULT_MEMORY, 1, BackendChoice.EMULATOR).backend());
    }

    @Test
    void otherNamesAreRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendChoice.parse("qemu"));
        assertEquals("backend must be auto, kvm or emulator, got 'qemu'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BackendChoice.parse(""));
    }
}
