package dev.partita.emulator.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.partita.emulator.backend.EmulatorBackend;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.BootStates;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two vCPUs on the emulator backend, end to end: the boot processor (32-bit protected mode) sends
 * INIT and a startup IPI through its xAPIC page; the application processor, waiting for SIPI since
 * creation, starts in real mode at the vector's page, writes a flag, and the boot processor sees it
 * and exits through port 0xF4.
 */
class SmpStartupTest {

    private static final long BSP_CODE = 0x10000;
    private static final long AP_CODE = 0x8000;   // SIPI vector 0x08
    private static final long FLAG = 0x9000;

    private static final byte[] BSP = bytes(
            0xC7, 0x05, 0x10, 0x03, 0xE0, 0xFE, 0x00, 0x00, 0x00, 0x01, // mov dword [0xFEE00310], 0x01000000 (dest APIC 1)
            0xC7, 0x05, 0x00, 0x03, 0xE0, 0xFE, 0x00, 0x45, 0x00, 0x00, // mov dword [0xFEE00300], 0x4500 (INIT, assert)
            0xC7, 0x05, 0x00, 0x03, 0xE0, 0xFE, 0x08, 0x46, 0x00, 0x00, // mov dword [0xFEE00300], 0x4608 (STARTUP 0x08)
            0x81, 0x3D, 0x00, 0x90, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12, // wait: cmp dword [0x9000], 0x12345678
            0x75, 0xF4,                                                 // jne wait
            0xB8, 0x00, 0x00, 0x00, 0x00,                               // mov eax, 0
            0xE7, 0xF4,                                                 // out 0xF4, eax: exit 0
            0xEB, 0xFE);

    private static final byte[] AP = bytes(
            0x31, 0xC0,                                                 // xor ax, ax
            0x8E, 0xD8,                                                 // mov ds, ax
            0x66, 0xC7, 0x06, 0x00, 0x90, 0x78, 0x56, 0x34, 0x12,       // mov dword [0x9000], 0x12345678
            0xEB, 0xFE);                                                // jmp $

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void bootProcessorStartsTheApplicationProcessorWithInitAndSipi() {
        PartitionConfig config = PartitionConfig.defaults("smp-startup").withCpus(2).withBackend(EmulatorBackend.NAME);
        CapturingConsoleSink console = new CapturingConsoleSink(4096);
        try (Partition p = Hypervisor.get().createPartition(config)) {
            DebugDevices.attach(p, console);
            for (int i = 0; i < BSP.length; i++) {
                p.memory().writeU8(BSP_CODE + i, BSP[i]);
            }
            for (int i = 0; i < AP.length; i++) {
                p.memory().writeU8(AP_CODE + i, AP[i]);
            }
            p.processor(0).setState(BootStates.protectedMode32(BSP_CODE));
            p.processor(1).setState(BootStates.applicationProcessor());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
            assertEquals(0x12345678L, p.memory().readU32(FLAG));
        }
    }
}
