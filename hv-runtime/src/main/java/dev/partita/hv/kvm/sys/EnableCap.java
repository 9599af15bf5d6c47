package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_enable_cap;

import dev.partita.nativebindings.libc.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** {@code KVM_ENABLE_CAP}, shared by VM and vCPU descriptors. */
final class EnableCap {
    private EnableCap() {}

    static int call(int fd, int cap, long... args) {
        if (args.length > 4) {
            throw new IllegalArgumentException("KVM_ENABLE_CAP " + Kvm_h.capName(cap) + ": at most 4 arguments, got " + args.length);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = kvm_enable_cap.allocate(arena);
            kvm_enable_cap.cap(c, cap);
            for (int i = 0; i < args.length; i++) {
                kvm_enable_cap.args(c, i, args[i]);
            }
            int rc = Libc.ioctlPtr(fd, Kvm_h.KVM_ENABLE_CAP, c);
            if (rc < 0) {
                throw new KvmException("KVM_ENABLE_CAP(" + Kvm_h.capName(cap) + ")", Libc.errno());
            }
            return rc;
        }
    }
}
