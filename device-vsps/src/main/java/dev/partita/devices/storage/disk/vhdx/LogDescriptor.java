package dev.partita.devices.storage.disk.vhdx;

/** One change a log entry makes to the file when applied. */
sealed interface LogDescriptor {
    long fileOffset();

    /** End of the changed range. */
    long end();

    /** Writes {@code data} (one 4 KiB sector) at {@code fileOffset}. */
    record DataSector(long fileOffset, byte[] data) implements LogDescriptor {
        public DataSector {
            if (data.length != VhdxLayout.LOG_SECTOR || fileOffset % VhdxLayout.LOG_SECTOR != 0) {
                throw new IllegalArgumentException("a data sector is 4 KiB at a 4 KiB boundary");
            }
        }

        @Override
        public long end() {
            return fileOffset + VhdxLayout.LOG_SECTOR;
        }
    }

    /** Writes {@code length} zero bytes at {@code fileOffset}. */
    record ZeroRange(long fileOffset, long length) implements LogDescriptor {
        @Override
        public long end() {
            return fileOffset + length;
        }
    }
}
