package dev.partita.hv.kvm.sys;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.cpuid.CpuidResult;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_cpuid2;
import dev.partita.nativebindings.kvm.kvm_cpuid_entry2;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Converts between {@code struct kvm_cpuid2} (+ entries) and {@link CpuidEntry} lists. */
final class CpuidCodec {
    private CpuidCodec() {}

    /** A zeroed kvm_cpuid2 with room for {@code n} entries and {@code nent = n}. */
    static MemorySegment allocate(Arena arena, int n) {
        MemorySegment s = arena.allocate(kvm_cpuid2.sizeof() + kvm_cpuid_entry2.sizeof() * n, 8);
        kvm_cpuid2.nent(s, n);
        return s;
    }

    static List<CpuidEntry> decode(MemorySegment cpuid) {
        int n = kvm_cpuid2.nent(cpuid);
        long room = (cpuid.byteSize() - kvm_cpuid2.sizeof()) / kvm_cpuid_entry2.sizeof();
        if (n < 0 || n > room) {
            throw new KvmException("kvm_cpuid2", "nent " + n + " exceeds the " + room + " entries allocated");
        }
        List<CpuidEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MemorySegment e = kvm_cpuid2.entries(cpuid, i);
            boolean indexed = (kvm_cpuid_entry2.flags(e) & Kvm_h.KVM_CPUID_FLAG_SIGNIFCANT_INDEX) != 0;
            CpuidResult value = new CpuidResult(kvm_cpuid_entry2.eax(e), kvm_cpuid_entry2.ebx(e),
                    kvm_cpuid_entry2.ecx(e), kvm_cpuid_entry2.edx(e));
            entries.add(new CpuidEntry(kvm_cpuid_entry2.function(e), indexed ? kvm_cpuid_entry2.index(e) : 0, indexed, value));
        }
        return List.copyOf(entries);
    }

    static MemorySegment encode(Arena arena, List<CpuidEntry> entries) {
        MemorySegment s = allocate(arena, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            CpuidEntry entry = entries.get(i);
            MemorySegment e = kvm_cpuid2.entries(s, i);
            kvm_cpuid_entry2.function(e, entry.leaf());
            kvm_cpuid_entry2.index(e, entry.subleaf());
            kvm_cpuid_entry2.flags(e, entry.kvmFlags());
            kvm_cpuid_entry2.eax(e, entry.value().eax());
            kvm_cpuid_entry2.ebx(e, entry.value().ebx());
            kvm_cpuid_entry2.ecx(e, entry.value().ecx());
            kvm_cpuid_entry2.edx(e, entry.value().edx());
        }
        return s;
    }
}
