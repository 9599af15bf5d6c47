package dev.partita.hv.cpuid;

import static dev.partita.hv.cpuid.CpuidRegister.EBX;
import static dev.partita.hv.cpuid.CpuidRegister.ECX;
import static dev.partita.hv.cpuid.CpuidRegister.EDX;

/**
 * The processor features Partita names, each one bit of one CPUID leaf (Intel SDM vol. 2A, CPUID;
 * AMD APM vol. 3, appendix E). The enum name is the Linux {@code /proc/cpuinfo} flag where one exists.
 */
public enum CpuFeature {
    // Leaf 1, EDX
    FPU(1, EDX, 0), VME(1, EDX, 1), DE(1, EDX, 2), PSE(1, EDX, 3), TSC(1, EDX, 4), MSR(1, EDX, 5),
    PAE(1, EDX, 6), MCE(1, EDX, 7), CX8(1, EDX, 8), APIC(1, EDX, 9), SEP(1, EDX, 11), MTRR(1, EDX, 12),
    PGE(1, EDX, 13), MCA(1, EDX, 14), CMOV(1, EDX, 15), PAT(1, EDX, 16), PSE36(1, EDX, 17),
    PSN(1, EDX, 18), CLFLUSH(1, EDX, 19), DS(1, EDX, 21), ACPI(1, EDX, 22), MMX(1, EDX, 23),
    FXSR(1, EDX, 24), SSE(1, EDX, 25), SSE2(1, EDX, 26), HTT(1, EDX, 28), TM(1, EDX, 29), PBE(1, EDX, 31),
    // Leaf 1, ECX
    SSE3(1, ECX, 0), PCLMULQDQ(1, ECX, 1), DTES64(1, ECX, 2), MONITOR(1, ECX, 3), DS_CPL(1, ECX, 4),
    VMX(1, ECX, 5), SMX(1, ECX, 6), EST(1, ECX, 7), TM2(1, ECX, 8), SSSE3(1, ECX, 9), SDBG(1, ECX, 11),
    FMA(1, ECX, 12), CX16(1, ECX, 13), XTPR(1, ECX, 14), PDCM(1, ECX, 15), PCID(1, ECX, 17),
    DCA(1, ECX, 18), SSE4_1(1, ECX, 19), SSE4_2(1, ECX, 20), X2APIC(1, ECX, 21), MOVBE(1, ECX, 22),
    POPCNT(1, ECX, 23), TSC_DEADLINE_TIMER(1, ECX, 24), AES(1, ECX, 25), XSAVE(1, ECX, 26),
    OSXSAVE(1, ECX, 27), AVX(1, ECX, 28), F16C(1, ECX, 29), RDRAND(1, ECX, 30), HYPERVISOR(1, ECX, 31),
    // Leaf 7 subleaf 0, EBX
    FSGSBASE(7, EBX, 0), TSC_ADJUST(7, EBX, 1), SGX(7, EBX, 2), BMI1(7, EBX, 3), HLE(7, EBX, 4),
    AVX2(7, EBX, 5), SMEP(7, EBX, 7), BMI2(7, EBX, 8), ERMS(7, EBX, 9), INVPCID(7, EBX, 10),
    RTM(7, EBX, 11), RDT_M(7, EBX, 12), MPX(7, EBX, 14), RDT_A(7, EBX, 15), AVX512F(7, EBX, 16),
    AVX512DQ(7, EBX, 17), RDSEED(7, EBX, 18), ADX(7, EBX, 19), SMAP(7, EBX, 20), AVX512IFMA(7, EBX, 21),
    CLFLUSHOPT(7, EBX, 23), CLWB(7, EBX, 24), INTEL_PT(7, EBX, 25), AVX512CD(7, EBX, 28),
    SHA_NI(7, EBX, 29), AVX512BW(7, EBX, 30), AVX512VL(7, EBX, 31),
    // Leaf 7 subleaf 0, ECX
    AVX512VBMI(7, ECX, 1), UMIP(7, ECX, 2), PKU(7, ECX, 3), OSPKE(7, ECX, 4), WAITPKG(7, ECX, 5),
    AVX512_VBMI2(7, ECX, 6), GFNI(7, ECX, 8), VAES(7, ECX, 9), VPCLMULQDQ(7, ECX, 10),
    AVX512_VNNI(7, ECX, 11), AVX512_BITALG(7, ECX, 12), TME(7, ECX, 13), AVX512_VPOPCNTDQ(7, ECX, 14),
    LA57(7, ECX, 16), RDPID(7, ECX, 22), SGX_LC(7, ECX, 30), PKS(7, ECX, 31),
    // Leaf 7 subleaf 0, EDX
    FSRM(7, EDX, 4), UINTR(7, EDX, 5), MD_CLEAR(7, EDX, 10), RTM_ALWAYS_ABORT(7, EDX, 11),
    TSX_FORCE_ABORT(7, EDX, 13), SERIALIZE(7, EDX, 14), HYBRID_CPU(7, EDX, 15), TSXLDTRK(7, EDX, 16),
    PCONFIG(7, EDX, 18), ARCH_LBR(7, EDX, 19), SPEC_CTRL(7, EDX, 26), ARCH_CAPABILITIES(7, EDX, 29),
    // Leaf 0x80000001, ECX
    LAHF_LM(0x8000_0001, ECX, 0), CMP_LEGACY(0x8000_0001, ECX, 1), SVM(0x8000_0001, ECX, 2),
    ABM(0x8000_0001, ECX, 5), SSE4A(0x8000_0001, ECX, 6), PREFETCHW(0x8000_0001, ECX, 8),
    IBS(0x8000_0001, ECX, 10), SKINIT(0x8000_0001, ECX, 12), WDT(0x8000_0001, ECX, 13),
    LWP(0x8000_0001, ECX, 15), TOPOEXT(0x8000_0001, ECX, 22), PERFCTR_CORE(0x8000_0001, ECX, 23),
    PERFCTR_NB(0x8000_0001, ECX, 24), PERFCTR_LLC(0x8000_0001, ECX, 28), MWAITX(0x8000_0001, ECX, 29),
    // Leaf 0x80000001, EDX
    SYSCALL(0x8000_0001, EDX, 11), NX(0x8000_0001, EDX, 20), PDPE1GB(0x8000_0001, EDX, 26),
    RDTSCP(0x8000_0001, EDX, 27), LM(0x8000_0001, EDX, 29),
    // Leaf 0x80000007, EDX
    CONSTANT_TSC(0x8000_0007, EDX, 8);

    private final int leaf;
    private final int subleaf;
    private final CpuidRegister register;
    private final int bit;

    CpuFeature(int leaf, CpuidRegister register, int bit) {
        this.leaf = leaf;
        this.subleaf = 0;
        this.register = register;
        this.bit = bit;
    }

    /** The CPUID leaf (EAX input) that reports this feature. */
    public int leaf() { return leaf; }

    /** The subleaf (ECX input); 0 for every feature named so far. */
    public int subleaf() { return subleaf; }

    /** The output register holding the bit. */
    public CpuidRegister register() { return register; }

    /** The bit number within {@link #register()}. */
    public int bit() { return bit; }

    /** The bit as a mask. */
    public int mask() { return 1 << bit; }

    /** Whether {@code result} (the output of {@link #leaf()}) reports this feature. */
    public boolean isSetIn(CpuidResult result) {
        return (result.get(register) & mask()) != 0;
    }
}
