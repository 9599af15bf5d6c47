package dev.partita.hv.kvm;

import dev.partita.hv.Partition;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.msr.MsrFault;
import dev.partita.hv.msr.MsrHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.partita.hv.kvm.KvmTestGuests.bytes;
import static org.junit.jupiter.api.Assertions.*;

/** Exits of small hand-assembled guests on KVM reach the buses, the MSR chain and the exit device. */
class KvmGuestExitsTest {

    @BeforeEach
    void needKvm() {
        KvmTestGuests.assumeKvm();
    }

    @Test
    void realModePortIoConsoleAndExitCode() {
        byte[] code = bytes(
                0xB0, 'O',             // mov al, 'O'
                0xE6, 0xE9,            // out 0xE9, al
                0xE4, 0x60,            // in al, 0x60        (device returns 'K')
                0xE6, 0xE9,            // out 0xE9, al
                0xBA, 0xF4, 0x00,      // mov dx, 0xF4
                0xB8, 0x07, 0x01,      // mov ax, 0x0107
                0xEF,                  // out dx, ax         (16-bit OUT: exit code is the low byte)
                0xF4);                 // hlt (not reached)
        CapturingConsoleSink console = new CapturingConsoleSink();
        try (Partition p = KvmTestGuests.partition("kvm-pio")) {
            DebugDevices.attach(p, console);
            p.ioBus().register(0x60, 1, new PortIoDevice() {
                public int read(int offset, int size) {
                    return 'K';
                }

                public void write(int offset, int size, int value) {
                }
            }, "fake-kbd");
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, code, KvmTestGuests.realMode());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(7), r, r.report());
            assertEquals("OK", console.text());
        }
    }

    @Test
    void stringIoIsHandedOutElementByElementBothWays() {
        // rep outsb of "abc" to 0xE9, then rep insb of 4 bytes from a counting port into 0x600,
        // then exit 0
        byte[] code = bytes(
                0xBE, 0x20, 0x7C,      // mov si, 0x7C20
                0xB9, 0x03, 0x00,      // mov cx, 3
                0xBA, 0xE9, 0x00,      // mov dx, 0xE9
                0xF3, 0x6E,            // rep outsb
                0xBF, 0x00, 0x06,      // mov di, 0x600
                0xB9, 0x04, 0x00,      // mov cx, 4
                0xBA, 0x70, 0x00,      // mov dx, 0x70
                0xF3, 0x6C,            // rep insb
                0xB0, 0x00,            // mov al, 0
                0xE6, 0xF4,            // out 0xF4, al
                0xF4);
        byte[] image = new byte[0x23];
        System.arraycopy(code, 0, image, 0, code.length);
        image[0x20] = 'a';
        image[0x21] = 'b';
        image[0x22] = 'c';
        AtomicInteger counter = new AtomicInteger(0x41);
        CapturingConsoleSink console = new CapturingConsoleSink();
        try (Partition p = KvmTestGuests.partition("kvm-string-io")) {
            DebugDevices.attach(p, console);
            p.ioBus().register(0x70, 1, new PortIoDevice() {
                public int read(int offset, int size) {
                    return counter.getAndIncrement();
                }

                public void write(int offset, int size, int value) {
                }
            }, "counter");
            KvmTestGuests.load(p, KvmTestGuests.FLAT_LOAD, image, KvmTestGuests.realMode());
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
            assertEquals("abc", console.text());
            assertEquals(0x44434241L, p.memory().readU32(0x600), "each IN element landed in its own byte");
        }
    }

    @Test
    void protectedModeMmioTestDeviceAndHypervMsrs() {
        byte[] code = bytes(
                0xA1, 0x00, 0x00, 0x00, 0xD0,                               // mov eax, [0xD0000000]
                0xA3, 0x00, 0x10, 0x00, 0x00,                               // mov [0x1000], eax
                0xC7, 0x05, 0x10, 0x00, 0x00, 0xD0, 0x78, 0x56, 0x34, 0x12, // mov dword [0xD0000010], 0x12345678
                0xA1, 0x14, 0x00, 0x00, 0xD0,                               // mov eax, [0xD0000014]
                0xA3, 0x04, 0x10, 0x00, 0x00,                               // mov [0x1004], eax
                0xB9, 0x00, 0x00, 0x00, 0x40,                               // mov ecx, 0x40000000
                0x0F, 0x32,                                                 // rdmsr
                0xA3, 0x08, 0x10, 0x00, 0x00,                               // mov [0x1008], eax
                0x89, 0x15, 0x0C, 0x10, 0x00, 0x00,                         // mov [0x100C], edx
                0xB8, 0x11, 0x11, 0x11, 0x11,                               // mov eax, 0x11111111
                0xBA, 0x22, 0x22, 0x22, 0x22,                               // mov edx, 0x22222222
                0x0F, 0x30,                                                 // wrmsr (0x40000000, accepted)
                0xB0, 0x00,                                                 // mov al, 0
                0xE6, 0xF4,                                                 // out 0xF4, al
                0xF4);
        long[] written = new long[1];
        try (Partition p = KvmTestGuests.partition("kvm-mmio-msr")) {
            DebugDevices.attach(p, b -> { });
            p.msrHandlers().add(new MsrHandler() {
                public boolean claims(int index) {
                    return index == 0x40000000;
                }

                public long read(int vpIndex, int index) {
                    return 0xCAFEF00D_12345678L;
                }

                public void write(int vpIndex, int index, long value) {
                    written[0] = value;
                }
            });
            KvmTestGuests.load(p, 0x8000, code, KvmTestGuests.protectedMode(0x8000));
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(0), r, r.report());
            assertEquals(0x54524150L, p.memory().readU32(0x1000), "MMIO read of the magic");
            assertEquals(0xEDCBA987L, p.memory().readU32(0x1004), "MMIO write then read of the inverted value");
            assertEquals(0x12345678L, p.memory().readU32(0x1008), "RDMSR low half from the handler chain");
            assertEquals(0xCAFEF00DL, p.memory().readU32(0x100C), "RDMSR high half");
            assertEquals(0x2222222211111111L, written[0], "WRMSR value reached the handler");
        }
    }

    @Test
    void unclaimedHypervMsrRaisesGeneralProtection() {
        // rdmsr of 0x40000005 nobody claims -> #GP; with no IDT that becomes a triple fault
        byte[] code = bytes(
                0xB9, 0x05, 0x00, 0x00, 0x40,   // mov ecx, 0x40000005
                0x0F, 0x32,                     // rdmsr
                0xB0, 0x00, 0xE6, 0xF4,         // out 0xF4, 0 (must not be reached)
                0xF4);
        try (Partition p = KvmTestGuests.partition("kvm-msr-gp")) {
            DebugDevices.attach(p, b -> { });
            p.msrHandlers().add(new MsrHandler() {
                public boolean claims(int index) {
                    return false;
                }

                public long read(int vpIndex, int index) throws MsrFault {
                    throw new MsrFault("never");
                }

                public void write(int vpIndex, int index, long value) throws MsrFault {
                    throw new MsrFault("never");
                }
            });
            KvmTestGuests.load(p, 0x8000, code, KvmTestGuests.protectedMode(0x8000));
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(60));
            PartitionResult.TripleFault tf = assertInstanceOf(PartitionResult.TripleFault.class, r, r.report());
            assertEquals(125, tf.exitStatus());
            assertTrue(tf.registers().contains("rcx=0000000040000005"), tf.registers());
        }
    }
}
