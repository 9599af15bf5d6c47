package dev.partita.vmms.state;

import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.hv.state.StateFileException;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/** The {@code vm} section carries a Linux VM's VMBus devices, disks and enlightenments, and checks them on restore. */
class VmDescriptionTest {
    private static final LinuxDevices DEVICES = LinuxDevices.of(VmBusDevices.STANDARD,
            List.of(new DiskSpec(Path.of("a.vhdx"), false), new DiskSpec(Path.of("/images/b.raw"), true)),
            new Enlightenments(true, false, true, false, true));

    @Test
    void devicesRoundTripWithAbsoluteDiskPaths() throws Exception {
        VmDescription d = new VmDescription(VmDescription.LINUX, "vm", 256L << 20, 2, "emulator", DEVICES);
        VmDescription back = VmDescription.fromJson(d.toJson());
        assertEquals(d, back);
        assertTrue(back.devices().disks().getFirst().path().isAbsolute(), "a relative disk path is kept absolute");
        assertEquals(Path.of("a.vhdx").toAbsolutePath(), back.devices().disks().getFirst().path());
        assertTrue(back.devices().disks().get(1).readOnly());
        d.section().restoreState(d.toJson(), 1);
    }

    @Test
    void aFileWithoutDevicesDescribesAVmWithoutVmBus() throws Exception {
        String old = "{\"kind\":\"linux\",\"name\":\"vm\",\"memoryBytes\":268435456,\"cpus\":1,\"backend\":\"emulator\"}";
        assertEquals(LinuxDevices.NONE, VmDescription.fromJson(old.getBytes(StandardCharsets.UTF_8)).devices());
    }

    @Test
    void otherDevicesOrMalformedDevicesAreRefused() {
        VmDescription withDisks = new VmDescription(VmDescription.LINUX, "vm", 256L << 20, 1, "emulator", DEVICES);
        VmDescription without = new VmDescription(VmDescription.LINUX, "vm", 256L << 20, 1, "emulator");
        StateFileException other = assertThrows(StateFileException.class,
                () -> without.section().restoreState(withDisks.toJson(), 1));
        assertTrue(other.getMessage().contains("describes another VM"), other.getMessage());
        String bad = "{\"kind\":\"linux\",\"name\":\"vm\",\"memoryBytes\":268435456,\"cpus\":1,\"backend\":\"emulator\","
                + "\"devices\":{\"vmbus\":false,\"integration\":true,\"disks\":[],\"enlightenments\":{}}}";
        assertThrows(StateFileException.class, () -> VmDescription.fromJson(bad.getBytes(StandardCharsets.UTF_8)));
        String noPath = "{\"kind\":\"linux\",\"name\":\"vm\",\"memoryBytes\":268435456,\"cpus\":1,\"backend\":\"emulator\","
                + "\"devices\":{\"vmbus\":true,\"integration\":true,\"disks\":[{\"readOnly\":true}],\"enlightenments\":{}}}";
        StateFileException e = assertThrows(StateFileException.class,
                () -> VmDescription.fromJson(noPath.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("disk"), e.getMessage());
        Vsp testDevice = new Vsp() {
            @Override
            public VspOffer offer() {
                return new VspOffer(UUID.randomUUID(), UUID.randomUUID(), 8192, 8192);
            }

            @Override
            public void open(VspChannel channel) {
            }

            @Override
            public void onPacket(VspChannel channel, PacketBuffer packet, boolean endOfBatch) {
            }

            @Override
            public void close(VspChannel channel) {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> LinuxDevices.of(VmBusDevices.STANDARD.with(testDevice),
                List.of(), Enlightenments.ALL), "a test VSP cannot be built again by partita restore");
    }
}
