package dev.partita.hv.kvm.sys;

import java.lang.foreign.MemorySegment;

/** Checks caller-owned struct segments before the kernel reads or writes them. */
final class Structs {
    private Structs() {}

    /** Returns {@code s} if it is native and at least {@code size} bytes, else throws IllegalArgumentException. */
    static MemorySegment require(String operation, MemorySegment s, long size) {
        if (!s.isNative() || s.byteSize() < size) {
            throw new IllegalArgumentException(operation + ": need a native segment of at least " + size
                    + " bytes, got " + s);
        }
        return s;
    }
}
