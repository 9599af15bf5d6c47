package dev.partita.hv.memory;

import dev.partita.nativebindings.libc.Errno;
import dev.partita.nativebindings.libc.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Maps anonymous, private, zero-filled host memory for guest RAM (through native-bindings'
 * {@link Libc}) and unmaps it when the owning arena closes. Pages are committed lazily by the
 * kernel ({@code MAP_NORESERVE}), so large guests cost nothing until touched.
 */
final class AnonymousMapper {
    private AnonymousMapper() {
    }

    /**
     * Maps {@code size} bytes; the returned segment belongs to {@code owner} and is unmapped when
     * it closes.
     */
    static MemorySegment map(long size, Arena owner) {
        MemorySegment raw = Libc.mmap(MemorySegment.NULL, size, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0L);
        if (raw.address() == Libc.MAP_FAILED_ADDRESS) {
            int errno = Libc.errno();
            throw new GuestMemoryException("mmap of " + size + " bytes of guest RAM failed: " + errnoName(errno), null);
        }
        long address = raw.address();
        return raw.reinterpret(size, owner, ignored -> unmap(address, size));
    }

    private static void unmap(long address, long size) {
        if (Libc.munmap(MemorySegment.ofAddress(address), size) != 0) {
            System.getLogger(AnonymousMapper.class.getName()).log(System.Logger.Level.WARNING,
                    "munmap(0x" + Long.toHexString(address) + ", " + size + ") failed: " + errnoName(Libc.errno()));
        }
    }

    private static String errnoName(int errno) {
        return Errno.name(errno) + " (" + errno + ")";
    }
}
