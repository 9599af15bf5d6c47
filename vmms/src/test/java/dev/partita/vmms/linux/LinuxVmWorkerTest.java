package dev.partita.vmms.linux;

import dev.partita.hv.BackendChoice;
import dev.partita.devices.ic.HeartbeatVsp;
import dev.partita.devices.ic.ShutdownVsp;
import dev.partita.devices.ic.TimeSyncVsp;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.boot.BzImage;
import dev.partita.vmbus.testing.EchoVsp;
import dev.partita.vmbus.vsp.VspOffer;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmms.worker.VmDefinition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link LinuxVmWorker} with a synthetic bzImage on the emulator and on KVM (no download): the kernel reads CPUID leaf
 * 0x40000000 and writes its vendor signature to COM1, then powers off. With VMBus the guest sees
 * "Microsoft Hv" and the worker offers the three integration components (and, after them, any VSP the
 * definition adds, such as the echo VSP); without it the guest sees no Hyper-V signature and nothing is offered.
 */
class LinuxVmWorkerTest {
    /** CPUID 0x40000000; EBX, ECX, EDX (12 signature bytes) to COM1; ACPI soft-off. */
    private static final byte[] HV_SIGNATURE_TO_COM1 = code(
            0xB8, 0x00, 0x00, 0x00, 0x40,   // mov eax, 0x40000000
            0x0F, 0xA2,                     // cpuid
            0x89, 0xD6,                     // mov esi, edx
            0x66, 0xBA, 0xF8, 0x03,         // mov dx, 0x3f8
            0x89, 0xD8, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, // ebx, 4 bytes
            0x89, 0xC8, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, // ecx
            0x89, 0xF0, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, 0xC1, 0xE8, 0x08, 0xEE, // edx (in esi)
            0x66, 0xBA, 0x04, 0x06, 0x66, 0xB8, 0x00, 0x34, 0x66, 0xEF,                               // PM1a_CNT = S5 | SLP_EN
            0xF4, 0xEB, 0xFD);

    private static byte[] code(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private record Outcome(PartitionResult result, String console, List<VspOffer> offers, boolean hyperV, boolean vmBus) {}

    private static Outcome run(String backend, VmBusDevices devices) throws Exception {
        var a = Hypervisor.get().availability(backend);
        if (!a.usable()) {
            System.out.println("SKIP LinuxVmWorkerTest on " + backend + ": " + a.reason());
        }
        Assumptions.assumeTrue(a.usable(), a.reason());
        StringBuffer console = new StringBuffer();
        VmDefinition def = new VmDefinition("worker-test", BzImage.parse(SyntheticBzImage.of(HV_SIGNATURE_TO_COM1, 0x1000)), null,
                "console=ttyS0", 64L << 20, 1, BackendChoice.parse(backend), devices);
        try (LinuxVmWorker vm = LinuxVmWorker.build(def, b -> console.append((char) (b & 0xFF)))) {
            vm.start();
            PartitionResult r = vm.partition().awaitExit(Duration.ofSeconds(120));
            return new Outcome(r, console.toString(), vm.offers(), vm.hyperV().isPresent(), vm.vmBus().isPresent());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "kvm"})
    void withVmBusTheGuestSeesHyperVAndTheStandardChannelsAreOffered(String backend) throws Exception {
        Outcome o = run(backend, VmBusDevices.STANDARD);
        assertEquals(0, o.result().exitStatus(), o.result().report());
        assertEquals("Microsoft Hv", o.console());
        assertTrue(o.hyperV() && o.vmBus());
        assertEquals(List.of(HeartbeatVsp.INTERFACE_TYPE, ShutdownVsp.INTERFACE_TYPE, TimeSyncVsp.INTERFACE_TYPE),
                o.offers().stream().map(VspOffer::interfaceType).toList(), "no test device (echo) in a standard VM");
        assertEquals(3, o.offers().stream().map(VspOffer::interfaceInstance).distinct().count(), "distinct instance GUIDs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "kvm"})
    void additionalVspsAreOfferedAfterTheStandardChannels(String backend) throws Exception {
        Outcome o = run(backend, VmBusDevices.STANDARD.with(new EchoVsp(UUID.randomUUID(), 4 * 4096)));
        assertEquals(0, o.result().exitStatus(), o.result().report());
        assertEquals(List.of(HeartbeatVsp.INTERFACE_TYPE, ShutdownVsp.INTERFACE_TYPE, TimeSyncVsp.INTERFACE_TYPE, EchoVsp.INTERFACE_TYPE),
                o.offers().stream().map(VspOffer::interfaceType).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "kvm"})
    void withoutVmBusThereIsNoHyperVInterface(String backend) throws Exception {
        Outcome o = run(backend, VmBusDevices.NONE);
        assertEquals(0, o.result().exitStatus(), o.result().report());
        assertEquals(12, o.console().length(), o.console());
        assertNotEquals("Microsoft Hv", o.console());
        assertFalse(o.hyperV() || o.vmBus());
        assertTrue(o.offers().isEmpty());
    }

    @Test
    void vmBusDevicesWithoutVmBusAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new VmBusDevices(false, true, List.of()));
        assertThrows(IllegalArgumentException.class, () -> VmBusDevices.NONE.with(new EchoVsp(UUID.randomUUID(), 4 * 4096)));
    }
}
