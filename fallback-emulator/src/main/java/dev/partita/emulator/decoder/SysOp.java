package dev.partita.emulator.decoder;

/**
 * Sub-operations of {@link Ops#SYSTEM}: privileged, mode-changing and I/O instructions that the
 * interpreter hands to the system package.
 */
public final class SysOp {
    private SysOp() {
    }

    public static final int CLI = 0;
    public static final int STI = 1;
    public static final int HLT = 2;
    /** INT3 (CC). */
    public static final int INT3 = 3;
    /** INT imm8 (CD ib). */
    public static final int INT = 4;
    public static final int INTO = 5;
    /** INT1/ICEBP (F1). */
    public static final int INT1 = 6;
    /** IRET/IRETD/IRETQ (operand size in size). */
    public static final int IRET = 7;
    /** CALL far ptr16:16/32 immediate (imm = offset, imm2 = selector). */
    public static final int CALLF_A = 8;
    /** JMP far immediate. */
    public static final int JMPF_A = 9;
    /** CALL far through memory (m16:16/32/64). */
    public static final int CALLF_M = 10;
    public static final int JMPF_M = 11;
    /** RETF (imm = bytes to release). */
    public static final int RETF = 12;
    /** IN AL/eAX, imm8 (imm = port). */
    public static final int IN_I = 13;
    /** IN AL/eAX, DX. */
    public static final int IN_DX = 14;
    public static final int OUT_I = 15;
    public static final int OUT_DX = 16;
    public static final int SLDT = 17;
    public static final int STR = 18;
    public static final int LLDT = 19;
    public static final int LTR = 20;
    public static final int VERR = 21;
    public static final int VERW = 22;
    public static final int SGDT = 23;
    public static final int SIDT = 24;
    public static final int LGDT = 25;
    public static final int LIDT = 26;
    public static final int SMSW = 27;
    public static final int LMSW = 28;
    public static final int INVLPG = 29;
    public static final int LAR = 30;
    public static final int LSL = 31;
    public static final int SYSCALL = 32;
    public static final int SYSRET = 33;
    public static final int CLTS = 34;
    public static final int INVD = 35;
    public static final int WBINVD = 36;
    /** MOV CRn, r (reg = CR number incl. REX.R; rm = GPR). */
    public static final int MOV_TO_CR = 37;
    public static final int MOV_FROM_CR = 38;
    public static final int MOV_TO_DR = 39;
    public static final int MOV_FROM_DR = 40;
    public static final int WRMSR = 41;
    public static final int RDTSC = 42;
    public static final int RDMSR = 43;
    public static final int RDPMC = 44;
    public static final int SYSENTER = 45;
    public static final int SYSEXIT = 46;
    public static final int CPUID = 47;
    public static final int RSM = 48;
    public static final int SWAPGS = 49;
    public static final int RDTSCP = 50;
    public static final int MONITOR = 51;
    public static final int MWAIT = 52;
    public static final int XGETBV = 53;
    public static final int XSETBV = 54;
    public static final int CLAC = 55;
    public static final int STAC = 56;
    public static final int RDRAND = 57;
    public static final int RDSEED = 58;
    public static final int RDPID = 59;
    /** VMCALL / VMMCALL (hypercall). */
    public static final int VMCALL = 60;
    public static final int INVPCID = 61;
    public static final int WRFSBASE = 62;
    public static final int WRGSBASE = 63;
    public static final int RDFSBASE = 64;
    public static final int RDGSBASE = 65;
    /** LFENCE/MFENCE/SFENCE: ordering only (a full fence in this emulator). */
    public static final int FENCE = 66;
    /** CLFLUSH/CLFLUSHOPT/CLWB m8: checked like a read, no cache to flush. */
    public static final int CLFLUSH = 67;

    public static final int COUNT = 68;
}
