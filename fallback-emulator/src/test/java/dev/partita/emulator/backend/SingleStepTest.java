package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.Test;

/**
 * RFLAGS.TF: a #DB trap after every instruction that starts with TF set (including the POPF that
 * clears it), none after the POPF that sets it, none inside the handler. Real-mode code assembled
 * with GNU as:
 * <pre>
 *   movw $0x7E00, 4 ; movw $0, 6 ; movw $0, 0x500          # IVT[1] = 0000:7E00, counter = 0
 *   pushf ; popw %ax ; orw $0x100, %ax ; pushw %ax ; popf   # TF on
 *   nop ; nop
 *   pushf ; popw %ax ; andw $0xFEFF, %ax ; pushw %ax ; popf # TF off
 *   movw 0x500, %ax ; outw %ax, $0xF4 ; hlt
 * handler (0x7E00): incw 0x500 ; iret
 * </pre>
 */
class SingleStepTest {

    private static final int[] MAIN = {
        0xC7, 0x06, 0x04, 0x00, 0x00, 0x7E, 0xC7, 0x06, 0x06, 0x00, 0x00, 0x00, 0xC7, 0x06, 0x00, 0x05,
        0x00, 0x00, 0x9C, 0x58, 0x0D, 0x00, 0x01, 0x50, 0x9D, 0x90, 0x90, 0x9C, 0x58, 0x25, 0xFF, 0xFE,
        0x50, 0x9D, 0xA1, 0x00, 0x05, 0xE7, 0xF4, 0xF4,
    };
    private static final int[] HANDLER = {0xFF, 0x06, 0x00, 0x05, 0xCF};

    private static byte[] bytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void trapsAfterEachInstructionRunWithTrapFlag() {
        try (GuestMemory mem = GuestMemory.allocate(2L << 20);
             EmulatorPartition p = new EmulatorPartition(new BackendPartitionConfig("tf", 1, mem))) {
            mem.write(0x7C00, bytes(MAIN));
            mem.write(0x7E00, bytes(HANDLER));
            BackendVcpu vcpu = p.createVcpu(0);
            vcpu.setState(VpState.builder().rip(0x7C00).gpr(Gpr.RSP, 0x7C00).build());
            VcpuExit exit = vcpu.run();
            // nop, nop, pushf, pop, and, push, popf = 7 traps
            assertEquals(new VcpuExit.PortIo(0xF4, 2, true, 7), exit);
            assertEquals(0, vcpu.getState().rflags() & 0x100, "TF cleared");
        }
    }
}
