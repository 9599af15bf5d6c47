package dev.partita.emulator.system;

/**
 * Devices the emulator itself implements (the platform package: PIC, PIT, I/O APIC, this vCPU's local
 * APIC page): port and MMIO accesses they claim are completed synchronously on the vCPU thread
 * instead of leaving as exits. One instance per vCPU (the local APIC page is per processor);
 * implementations share partition-wide devices internally and synchronize them.
 */
public interface InternalDevices {

    /** No internal devices: every access leaves as an exit. */
    InternalDevices NONE = new InternalDevices() {
        @Override
        public boolean claimsPort(int port) {
            return false;
        }

        @Override
        public boolean claimsMmio(long gpa) {
            return false;
        }
    };

    /** Whether port {@code port} is handled here. */
    boolean claimsPort(int port);

    /** IN of {@code size} bytes (1, 2, 4) from a claimed port. */
    default int readPort(int port, int size) {
        return -1;
    }

    /** OUT to a claimed port. */
    default void writePort(int port, int size, int value) {
    }

    /** Whether guest-physical address {@code gpa} is handled here. */
    boolean claimsMmio(long gpa);

    /** MMIO read from a claimed address. */
    default long readMmio(long gpa, int size) {
        return -1L;
    }

    /** MMIO write to a claimed address. */
    default void writeMmio(long gpa, int size, long value) {
    }
}
