package dev.partita.emulator.system;

import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.cpuid.CpuidResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes CPUID from the table the partition's CPUID model installed for this vCPU
 * ({@code BackendVcpu.installCpuid}), with Intel's rules for leaves outside the table's ranges
 * (a basic or extended leaf above the maximum returns the highest basic leaf), and the dynamic
 * bits the real processor computes: leaf 1 ECX.OSXSAVE from CR4.OSXSAVE and EDX.APIC from the
 * APIC-base enable bit. Owned by the vCPU thread; the table is replaced only between runs.
 */
public final class CpuidUnit {

    private final CpuState cpu;
    private Map<Long, CpuidEntry> entries = Map.of();
    private int maxBasic;
    private int maxExtended;
    private int maxHypervisor;

    public CpuidUnit(CpuState cpu) {
        this.cpu = cpu;
    }

    /** Replaces the table. */
    public void install(List<CpuidEntry> table) {
        Map<Long, CpuidEntry> m = new HashMap<>();
        for (CpuidEntry e : table) {
            m.put(key(e.leaf(), e.indexed() ? e.subleaf() : 0), e);
        }
        entries = m;
        maxBasic = leafEax(0);
        maxExtended = leafEax(0x8000_0000);
        maxHypervisor = leafEax(0x4000_0000);
    }

    private int leafEax(int leaf) {
        CpuidEntry e = entries.get(key(leaf, 0));
        return e == null ? 0 : e.value().eax();
    }

    private static long key(int leaf, int subleaf) {
        return (Integer.toUnsignedLong(leaf) << 32) | Integer.toUnsignedLong(subleaf);
    }

    /** The result for {@code leaf}/{@code subleaf}. */
    public CpuidResult lookup(int leaf, int subleaf) {
        int effective = leaf;
        if (Integer.compareUnsigned(leaf, 0x4000_0000) >= 0 && Integer.compareUnsigned(leaf, 0x4FFF_FFFF) <= 0) {
            if (maxHypervisor == 0 || Integer.compareUnsigned(leaf, maxHypervisor) > 0) {
                return CpuidResult.ZERO;
            }
        } else if (Integer.compareUnsigned(leaf, 0x8000_0000) >= 0) {
            if (Integer.compareUnsigned(leaf, maxExtended) > 0) {
                effective = maxBasic;
            }
        } else if (Integer.compareUnsigned(leaf, maxBasic) > 0) {
            effective = maxBasic;
        }
        CpuidEntry e = entries.get(key(effective, 0));
        if (e != null && e.indexed()) {
            e = entries.get(key(effective, subleaf));
        } else if (e == null) {
            e = entries.get(key(effective, subleaf));
        }
        CpuidResult r = e == null ? CpuidResult.ZERO : e.value();
        if (effective == 1) {
            int ecx = r.ecx();
            ecx = (cpu.cr4 & Cr4.OSXSAVE) != 0 ? ecx | (1 << 27) : ecx & ~(1 << 27);
            int edx = (cpu.apicBase & (1L << 11)) != 0 ? r.edx() : r.edx() & ~(1 << 9);
            r = new CpuidResult(r.eax(), r.ebx(), ecx, edx);
        }
        return r;
    }

    /** CPUID: reads EAX/ECX, writes EAX/EBX/ECX/EDX (upper halves cleared). */
    public void execute() {
        CpuidResult r = lookup((int) cpu.gpr[0], (int) cpu.gpr[1]);
        cpu.gpr[0] = r.eax() & 0xFFFF_FFFFL;
        cpu.gpr[3] = r.ebx() & 0xFFFF_FFFFL;
        cpu.gpr[1] = r.ecx() & 0xFFFF_FFFFL;
        cpu.gpr[2] = r.edx() & 0xFFFF_FFFFL;
    }

    /** Whether leaf 1/7/0x80000001 advertises a feature bit (for instructions that #UD otherwise). */
    public boolean has(int leaf, int subleaf, char register, int bit) {
        CpuidResult r = lookup(leaf, subleaf);
        int v = switch (register) {
            case 'a' -> r.eax();
            case 'b' -> r.ebx();
            case 'c' -> r.ecx();
            default -> r.edx();
        };
        return (v & (1 << bit)) != 0;
    }
}
