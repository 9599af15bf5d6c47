package dev.partita.emulator.cpu;

/** Model-specific register numbers the emulator implements itself (C names in comments). */
public final class MsrIndex {
    public static final int TSC = 0x10;                 // IA32_TIME_STAMP_COUNTER
    public static final int PLATFORM_ID = 0x17;         // IA32_PLATFORM_ID
    public static final int APIC_BASE = 0x1B;           // IA32_APIC_BASE
    public static final int FEATURE_CONTROL = 0x3A;     // IA32_FEATURE_CONTROL
    public static final int TSC_ADJUST = 0x3B;          // IA32_TSC_ADJUST
    public static final int SPEC_CTRL = 0x48;           // IA32_SPEC_CTRL
    public static final int PRED_CMD = 0x49;            // IA32_PRED_CMD
    public static final int BIOS_SIGN_ID = 0x8B;        // IA32_BIOS_SIGN_ID (microcode revision)
    public static final int MTRRCAP = 0xFE;             // IA32_MTRRCAP
    public static final int ARCH_CAPABILITIES = 0x10A;  // IA32_ARCH_CAPABILITIES
    public static final int SYSENTER_CS = 0x174;        // IA32_SYSENTER_CS
    public static final int SYSENTER_ESP = 0x175;       // IA32_SYSENTER_ESP
    public static final int SYSENTER_EIP = 0x176;       // IA32_SYSENTER_EIP
    public static final int MCG_CAP = 0x179;            // IA32_MCG_CAP
    public static final int MCG_STATUS = 0x17A;         // IA32_MCG_STATUS
    public static final int MISC_ENABLE = 0x1A0;        // IA32_MISC_ENABLE
    public static final int MTRR_PHYSBASE0 = 0x200;     // IA32_MTRR_PHYSBASE0 .. PHYSMASK9 = 0x213
    public static final int MTRR_PHYSMASK9 = 0x213;
    public static final int MTRR_FIX64K_00000 = 0x250;
    public static final int MTRR_FIX16K_80000 = 0x258;
    public static final int MTRR_FIX16K_A0000 = 0x259;
    public static final int MTRR_FIX4K_C0000 = 0x268;   // .. 0x26F
    public static final int MTRR_FIX4K_F8000 = 0x26F;
    public static final int PAT = 0x277;                // IA32_PAT
    public static final int MTRR_DEF_TYPE = 0x2FF;      // IA32_MTRR_DEF_TYPE
    public static final int TSC_DEADLINE = 0x6E0;       // IA32_TSC_DEADLINE (local APIC)
    public static final int X2APIC_FIRST = 0x800;       // x2APIC range (local APIC)
    public static final int X2APIC_LAST = 0x8FF;
    public static final int EFER = 0xC000_0080;         // IA32_EFER
    public static final int STAR = 0xC000_0081;         // IA32_STAR
    public static final int LSTAR = 0xC000_0082;        // IA32_LSTAR
    public static final int CSTAR = 0xC000_0083;        // IA32_CSTAR
    public static final int SFMASK = 0xC000_0084;       // IA32_FMASK
    public static final int FS_BASE = 0xC000_0100;      // IA32_FS_BASE
    public static final int GS_BASE = 0xC000_0101;      // IA32_GS_BASE
    public static final int KERNEL_GS_BASE = 0xC000_0102; // IA32_KERNEL_GS_BASE
    public static final int TSC_AUX = 0xC000_0103;      // IA32_TSC_AUX

    /** Default PAT value after reset. */
    public static final long PAT_RESET = 0x0007_0406_0007_0406L;

    private MsrIndex() {
    }
}
