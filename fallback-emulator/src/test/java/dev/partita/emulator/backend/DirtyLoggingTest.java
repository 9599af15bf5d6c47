package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.memory.DirtyPages;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.Test;

/** Guest writes are recorded in the regions' dirty bitmaps while logging is on, also through translations cached before. */
class DirtyLoggingTest {

    private static final byte[] CODE = {
        (byte) 0xC7, 0x05, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00,   // mov dword [0x200000], 1
        (byte) 0xE6, (byte) 0xE9,                                           // out 0xE9, al
        (byte) 0xC7, 0x05, 0x04, 0x00, 0x20, 0x00, 0x02, 0x00, 0x00, 0x00,   // mov dword [0x200004], 2
        (byte) 0xC7, 0x05, 0x00, 0x00, 0x30, 0x00, 0x03, 0x00, 0x00, 0x00,   // mov dword [0x300000], 3
        (byte) 0xE6, (byte) 0xF4,                                           // out 0xF4, al
        (byte) 0xF4,                                                        // hlt
    };

    @Test
    void writesAreLoggedOnlyWhileLoggingIsOn() {
        try (GuestMemory mem = GuestMemory.allocate(4L << 20);
             EmulatorPartition p = new EmulatorPartition(new BackendPartitionConfig("dirty", 1, mem))) {
            mem.write(0x10000, CODE);
            BackendVcpu vcpu = p.createVcpu(0);
            vcpu.setState(VpState.builder().cs(SegmentRegister.flat32Code(8))
                    .dataSegments(SegmentRegister.flat32Data(0x10)).cr0(0x11).rip(0x10000).build());
            assertEquals(0xE9, ((VcpuExit.PortIo) vcpu.run()).port());
            mem.collectDirtyPages(); // forget anything before logging
            p.setDirtyLogging(true);
            assertEquals(0xF4, ((VcpuExit.PortIo) vcpu.run()).port());
            DirtyPages dirty = mem.collectDirtyPages();
            assertTrue(dirty.isDirty(0x200000), "page written through a translation cached before logging started");
            assertTrue(dirty.isDirty(0x300000));
            assertFalse(dirty.isDirty(0x100000));
            assertEquals(3, mem.readU32(0x300000));
        }
    }
}
