package dev.partita.hv.cpuid;

import static dev.partita.hv.cpuid.CpuFeature.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BASELINE PROFILE, NOT A REAL PROCESSOR: the CPU Partita's x86-64 emulator promises to implement
 * when no KVM is present. It describes a plain x86-64-v2 part (Nehalem-class feature set: SSE up to
 * SSE4.2, SSSE3, POPCNT, CMPXCHG16B, LAHF/SAHF in long mode; no AVX, no XSAVE, no AES, no PCID),
 * vendor GenuineIntel so guests pick Intel code paths, family 6 model 0x1A. Caches are described
 * (leaf 4) so guests size their data structures sensibly; the emulator does not model them.
 *
 * <p>Topology (APIC ids, leaf 0xB) is filled in per vCPU by {@link CpuidTopology}; leaf 0xB is
 * listed here only so the model knows the leaf exists.
 */
public final class BaselineCpuidProfile {

    /** The brand string reported by leaves 0x80000002-0x80000004. */
    public static final String BRAND = "Partita baseline x86-64-v2 (emulated)";

    static final CpuidProfile PROFILE = new CpuidProfile("baseline x86-64-v2 (emulator)",
            CpuidProfile.Origin.BASELINE_EMULATED, build());

    private BaselineCpuidProfile() {}

    private static List<CpuidEntry> build() {
        List<CpuidEntry> e = new ArrayList<>();
        // Leaf 0: highest basic leaf 0xB, "GenuineIntel" in EBX, EDX, ECX order.
        int[] vendor = PartitaHypervisorLeaves.signatureWords("GenuineIntel");
        e.add(CpuidEntry.of(0x0, 0xB, vendor[0], vendor[2], vendor[1]));
        // Leaf 1: stepping 5, model 0xA + extended model 1 (0x1A), family 6; CLFLUSH line 8*8 bytes.
        int leaf1Edx = bits(FPU, DE, PSE, TSC, MSR, PAE, CX8, APIC, SEP, PGE, CMOV, PAT, CLFLUSH, MMX, FXSR, SSE, SSE2);
        int leaf1Ecx = bits(SSE3, SSSE3, CX16, SSE4_1, SSE4_2, POPCNT);
        e.add(CpuidEntry.of(0x1, 0x0001_06A5, 0x0000_0800, leaf1Ecx, leaf1Edx));
        // Leaf 2: one descriptor byte 0xFF = "no descriptors here, use leaf 4".
        e.add(CpuidEntry.of(0x2, 0x0000_FF01, 0, 0, 0));
        // Leaf 4: deterministic cache parameters; sharing fields are set by CpuidTopology.
        e.add(cache(0, 1, 1, 32 * 1024, 8));   // L1 data
        e.add(cache(1, 2, 1, 32 * 1024, 8));   // L1 instruction
        e.add(cache(2, 3, 2, 256 * 1024, 8));  // L2 unified
        e.add(cache(3, 3, 3, 8 << 20, 16));    // L3 unified
        e.add(CpuidEntry.indexed(0x4, 4, 0, 0, 0, 0)); // type 0: no more caches
        // Leaf 7 subleaf 0: no structured extended features, highest subleaf 0.
        e.add(CpuidEntry.indexed(0x7, 0, 0, 0, 0, 0));
        // Leaf 0xB: placeholder, replaced per vCPU by CpuidTopology.
        e.add(CpuidEntry.indexed(0xB, 0, 0, 0, 0, 0));
        // Extended leaves.
        e.add(CpuidEntry.of(0x8000_0000, 0x8000_0008, 0, 0, 0));
        e.add(CpuidEntry.of(0x8000_0001, 0, 0, bits(LAHF_LM), bits(SYSCALL, NX, LM)));
        int[] brand = brandWords();
        for (int i = 0; i < 3; i++) {
            e.add(CpuidEntry.of(0x8000_0002 + i, brand[4 * i], brand[4 * i + 1], brand[4 * i + 2], brand[4 * i + 3]));
        }
        // 0x80000006 ECX: L2 size in KiB [31:16], associativity code 6 = 8-way [15:12], line size [7:0].
        e.add(CpuidEntry.of(0x8000_0006, 0, 0, (256 << 16) | (6 << 12) | 64, 0));
        // 0x80000008 EAX: 48 linear address bits [15:8], 40 physical address bits [7:0].
        e.add(CpuidEntry.of(0x8000_0008, 0x0000_3028, 0, 0, 0));
        return List.copyOf(e);
    }

    private static CpuidEntry cache(int subleaf, int type, int level, int bytes, int ways) {
        int line = 64;
        int sets = bytes / (ways * line);
        int eax = type | (level << 5) | (1 << 8); // self-initializing
        int ebx = ((ways - 1) << 22) | (line - 1);
        return CpuidEntry.indexed(0x4, subleaf, eax, ebx, sets - 1, 0);
    }

    private static int bits(CpuFeature... features) {
        int v = 0;
        for (CpuFeature f : features) {
            v |= f.mask();
        }
        return v;
    }

    private static int[] brandWords() {
        byte[] text = BRAND.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[48];
        System.arraycopy(text, 0, b, 0, Math.min(text.length, 47));
        int[] words = new int[12];
        for (int i = 0; i < 48; i++) {
            words[i / 4] |= (b[i] & 0xFF) << (8 * (i % 4));
        }
        return words;
    }
}
