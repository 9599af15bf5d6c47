package dev.partita.devices.storage;

import dev.partita.devices.storage.disk.BlockDevice;
import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.devices.storage.disk.vhdx.VhdxDisk;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.GuestMemory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds a SCSI controller VSP for a list of disks (what {@code partita run --disk} needs): disk i
 * becomes LUN i of path 0, target 0, with serial {@code PARTITA-<i>} for a raw image and the VHDX's
 * page 83 identifier (its Virtual Disk ID) for a VHDX, so a VHDX keeps its identity wherever it is attached. The caller offers the
 * returned VSP on the partition's VMBus and closes the returned devices when the VM ends.
 *
 * @param vsp     the controller to offer
 * @param devices the opened images, in order
 */
public record StorageControllers(StorageVsp vsp, List<BlockDevice> devices) implements AutoCloseable {
    /** Instance GUID of the first SCSI controller (fixed, so the guest sees the same controller every boot). */
    public static final UUID FIRST_CONTROLLER = UUID.fromString("5041fa17-a000-4d15-8c00-000000000001");

    /**
     * Opens every disk and builds the controller.
     *
     * @throws DiskImageException for the first image that cannot be used (the ones opened before are closed)
     */
    public static StorageControllers open(GuestMemory memory, List<DiskSpec> disks) throws DiskImageException {
        if (disks.size() > 256) {
            throw new IllegalArgumentException("at most 256 disks per controller, got " + disks.size());
        }
        StorageVspConfig config = StorageVspConfig.defaults();
        ScsiBus bus = new ScsiBus();
        List<BlockDevice> opened = new ArrayList<>();
        try {
            for (int i = 0; i < disks.size(); i++) {
                BlockDevice d = disks.get(i).open();
                opened.add(d);
                DiskIdentity id = d instanceof VhdxDisk v ? DiskIdentity.of(v.page83Id().toString()) : DiskIdentity.of("PARTITA-" + i);
                bus.attach(new ScsiAddress(0, 0, i), new ScsiDisk(id, d, config.maxTransferBytes()));
            }
        } catch (DiskImageException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
        return new StorageControllers(new StorageVsp(FIRST_CONTROLLER, memory, bus, config), List.copyOf(opened));
    }

    private static void closeAll(List<BlockDevice> devices) {
        for (BlockDevice d : devices) {
            try {
                d.close();
            } catch (IOException ignored) {
                // closing after a failure: the first error is the one reported
            }
        }
    }

    /** Flushes and closes every image. */
    @Override
    public void close() {
        for (BlockDevice d : devices) {
            try {
                d.flush();
            } catch (IOException e) {
                System.getLogger(StorageControllers.class.getName()).log(System.Logger.Level.WARNING,
                        "flush of " + d.describe() + " at close failed: " + e.getMessage());
            }
        }
        closeAll(devices);
    }
}
