package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.VpState;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Code the host overwrites through {@link GuestMemory} (device DMA, loaders, the hypercall page)
 * replaces what the emulator decoded from that page: the guest executes the new bytes.
 */
class HostWriteInvalidationTest {

    private static final long CODE = 0x10000;

    /** mov eax, imm32 ; out 0xE9, al ; jmp CODE (a loop that reports its immediate on every pass). */
    private static byte[] loop(int imm) {
        return new byte[] {(byte) 0xB8, (byte) imm, (byte) (imm >>> 8), (byte) (imm >>> 16), (byte) (imm >>> 24),
            (byte) 0xE6, (byte) 0xE9, (byte) 0xEB, (byte) 0xF7};
    }

    /** Runs the loop once (decoding it), lets the host rewrite it with {@code hostWrite}, runs it again. */
    private static void assertHostWriteIsExecuted(BiConsumer<GuestMemory, byte[]> hostWrite) {
        try (GuestMemory mem = GuestMemory.allocate(4L << 20);
             EmulatorPartition p = new EmulatorPartition(new BackendPartitionConfig("host-write", 1, mem))) {
            mem.write(CODE, loop(0x1111_1111));
            BackendVcpu vcpu = p.createVcpu(0);
            vcpu.setState(VpState.builder().cs(SegmentRegister.flat32Code(8))
                    .dataSegments(SegmentRegister.flat32Data(0x10)).cr0(0x11).rip(CODE).build());
            assertEquals(0xE9, ((VcpuExit.PortIo) vcpu.run()).port());
            assertEquals(0x1111_1111L, vcpu.getState().gpr(Gpr.RAX));
            assertEquals(0xE9, ((VcpuExit.PortIo) vcpu.run()).port()); // second pass runs from the decoded cache
            assertEquals(0x1111_1111L, vcpu.getState().gpr(Gpr.RAX));

            hostWrite.accept(mem, loop(0x2222_2222));
            assertEquals(0xE9, ((VcpuExit.PortIo) vcpu.run()).port());
            assertEquals(0x2222_2222L, vcpu.getState().gpr(Gpr.RAX), "the guest ran stale decoded code");
        }
    }

    @Test
    void byteArrayWriteReplacesDecodedCode() {
        assertHostWriteIsExecuted((mem, code) -> mem.write(CODE, code));
    }

    @Test
    void scalarWriteReplacesDecodedCode() {
        assertHostWriteIsExecuted((mem, code) -> mem.writeU32(CODE + 1, 0x2222_2222L));
    }

    @Test
    void copyAndFillReplaceDecodedCode() {
        assertHostWriteIsExecuted((mem, code) -> {
            mem.write(0x30000, code);
            mem.copy(0x30000, CODE, code.length);
        });
        assertHostWriteIsExecuted((mem, code) -> {
            mem.fill(CODE + 1, 4, (byte) 0x22);
        });
    }

    @Test
    void segmentViewWriteAnnouncedWithNoteHostWriteReplacesDecodedCode() {
        assertHostWriteIsExecuted((mem, code) -> {
            java.lang.foreign.MemorySegment.copy(code, 0, mem.segment(CODE, code.length),
                    java.lang.foreign.ValueLayout.JAVA_BYTE, 0, code.length);
            mem.noteHostWrite(CODE, code.length);
        });
    }
}
