package dev.partita.devices.storage.scsi;

import dev.partita.devices.storage.disk.BlockDevice;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** A block device whose I/O fails while {@link #fail} is set (for MEDIUM ERROR tests). */
final class FailingDisk implements BlockDevice {
    volatile boolean fail;
    private final long sectors;

    FailingDisk(long sectors) {
        this.sectors = sectors;
    }

    @Override
    public long sectorCount() {
        return sectors;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public void read(long offset, MemorySegment dst) throws IOException {
        if (fail) {
            throw new IOException("injected read failure");
        }
        dst.fill((byte) 0);
    }

    @Override
    public void write(long offset, MemorySegment src) throws IOException {
        if (fail) {
            throw new IOException("injected write failure");
        }
    }

    @Override
    public void flush() throws IOException {
        if (fail) {
            throw new IOException("injected flush failure");
        }
    }

    @Override
    public String describe() {
        return "failing disk";
    }

    @Override
    public void close() {
    }
}
