package dev.partita.hv.vp;

/** Indices of the architectural MSRs the runtime names (Intel SDM vol. 4 names in comments). */
public final class Msrs {
    public static final int TSC = 0x10;                 // IA32_TIME_STAMP_COUNTER
    public static final int APIC_BASE = 0x1B;           // IA32_APIC_BASE
    public static final int SYSENTER_CS = 0x174;        // IA32_SYSENTER_CS
    public static final int SYSENTER_ESP = 0x175;       // IA32_SYSENTER_ESP
    public static final int SYSENTER_EIP = 0x176;       // IA32_SYSENTER_EIP
    public static final int MISC_ENABLE = 0x1A0;        // IA32_MISC_ENABLE
    public static final int PAT = 0x277;                // IA32_PAT
    public static final int TSC_DEADLINE = 0x6E0;       // IA32_TSC_DEADLINE
    public static final int EFER = 0xC0000080;          // IA32_EFER
    public static final int STAR = 0xC0000081;          // IA32_STAR
    public static final int LSTAR = 0xC0000082;         // IA32_LSTAR
    public static final int CSTAR = 0xC0000083;         // IA32_CSTAR
    public static final int FMASK = 0xC0000084;         // IA32_FMASK
    public static final int FS_BASE = 0xC0000100;       // IA32_FS_BASE
    public static final int GS_BASE = 0xC0000101;       // IA32_GS_BASE
    public static final int KERNEL_GS_BASE = 0xC0000102; // IA32_KERNEL_GS_BASE
    public static final int TSC_AUX = 0xC0000103;       // IA32_TSC_AUX

    /** First and last index of the Hyper-V synthetic MSR range (TLFS). */
    public static final int HYPERV_FIRST = 0x40000000;
    public static final int HYPERV_LAST = 0x400001FF;

    private Msrs() {
    }
}
