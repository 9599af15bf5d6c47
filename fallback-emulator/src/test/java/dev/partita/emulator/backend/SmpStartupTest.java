package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.VpState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two vCPUs: the boot processor sends INIT and a startup IPI through its local APIC's ICR; the
 * application processor, which waited for it since creation, starts in real mode at 0800:0000 and
 * writes a flag the boot processor polls. Assembled with GNU as from:
 * <pre>
 * bsp (32-bit, at 0x10000):
 *   movl $0x01000000, 0xFEE00310 ; movl $0x00004500, 0xFEE00300   # INIT -> APIC 1
 *   movl $0x01000000, 0xFEE00310 ; movl $0x00004608, 0xFEE00300   # STARTUP vector 8
 * 1: cmpl $0x1234, 0x9000 ; jne 1b
 *   movl 0x9004, %eax ; outl %eax, $0xE9 ; xorl %eax, %eax ; outl %eax, $0xF4 ; hlt
 * ap (16-bit, at 0x8000):
 *   xorw %ax, %ax ; movw %ax, %ds ; movw %cs, %ax ; movw %ax, 0x9004 ; movl $0x1234, 0x9000
 *   cli ; 1: hlt ; jmp 1b
 * </pre>
 */
class SmpStartupTest {

    private static final int[] BSP = {
        0xC7, 0x05, 0x10, 0x03, 0xE0, 0xFE, 0x00, 0x00, 0x00, 0x01, 0xC7, 0x05, 0x00, 0x03, 0xE0, 0xFE,
        0x00, 0x45, 0x00, 0x00, 0xC7, 0x05, 0x10, 0x03, 0xE0, 0xFE, 0x00, 0x00, 0x00, 0x01, 0xC7, 0x05,
        0x00, 0x03, 0xE0, 0xFE, 0x08, 0x46, 0x00, 0x00, 0x81, 0x3D, 0x00, 0x90, 0x00, 0x00, 0x34, 0x12,
        0x00, 0x00, 0x75, 0xF4, 0xA1, 0x04, 0x90, 0x00, 0x00, 0xE7, 0xE9, 0x31, 0xC0, 0xE7, 0xF4, 0xF4,
    };
    private static final int[] AP = {
        0x31, 0xC0, 0x8E, 0xD8, 0x8C, 0xC8, 0xA3, 0x04, 0x90, 0x66, 0xC7, 0x06, 0x00, 0x90, 0x34, 0x12,
        0x00, 0x00, 0xFA, 0xF4, 0xEB, 0xFD,
    };

    private static byte[] bytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void bootProcessorStartsTheApplicationProcessorWithInitAndStartupIpis() {
        PartitionConfig config = PartitionConfig.defaults("smp").withBackend(EmulatorBackend.NAME).withCpus(2);
        try (Partition p = Hypervisor.get().createPartition(config)) {
            DebugDevices.attach(p, new CapturingConsoleSink(1024));
            p.memory().write(0x10000, bytes(BSP));
            p.memory().write(0x8000, bytes(AP));
            p.processor(0).setState(VpState.builder()
                    .cs(SegmentRegister.flat32Code(0x08))
                    .dataSegments(SegmentRegister.flat32Data(0x10))
                    .cr0(0x11)
                    .rip(0x10000)
                    .build());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(30));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
            assertEquals(0x1234, p.memory().readU32(0x9000));
            assertEquals(0x0800, p.memory().readU16(0x9004), "AP started at CS = vector << 8");
        }
    }
}
