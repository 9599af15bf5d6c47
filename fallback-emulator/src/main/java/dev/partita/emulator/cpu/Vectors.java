package dev.partita.emulator.cpu;

/** Architectural exception vector numbers (Intel SDM vol. 3, table 6-1). */
public final class Vectors {
    /** #DE divide error. */
    public static final int DE = 0;
    /** #DB debug. */
    public static final int DB = 1;
    /** Non-maskable interrupt. */
    public static final int NMI = 2;
    /** #BP breakpoint (INT3). */
    public static final int BP = 3;
    /** #OF overflow (INTO). */
    public static final int OF = 4;
    /** #BR BOUND range exceeded. */
    public static final int BR = 5;
    /** #UD invalid opcode. */
    public static final int UD = 6;
    /** #NM device not available. */
    public static final int NM = 7;
    /** #DF double fault (error code 0). */
    public static final int DF = 8;
    /** #TS invalid TSS (error code). */
    public static final int TS = 10;
    /** #NP segment not present (error code). */
    public static final int NP = 11;
    /** #SS stack-segment fault (error code). */
    public static final int SS = 12;
    /** #GP general protection (error code). */
    public static final int GP = 13;
    /** #PF page fault (error code, CR2). */
    public static final int PF = 14;
    /** #MF x87 floating-point error. */
    public static final int MF = 16;
    /** #AC alignment check (error code 0). */
    public static final int AC = 17;
    /** #MC machine check. */
    public static final int MC = 18;
    /** #XM SIMD floating-point exception. */
    public static final int XM = 19;

    private Vectors() {
    }

    /** Whether an exception with this vector pushes an error code (for vectors below 32). */
    public static boolean hasErrorCode(int vector) {
        return vector == DF || vector == TS || vector == NP || vector == SS || vector == GP
                || vector == PF || vector == AC;
    }

    /** Contributory exceptions for the double-fault rules (SDM table 6-5). */
    public static boolean isContributory(int vector) {
        return vector == DE || vector == TS || vector == NP || vector == SS || vector == GP;
    }

    /** Short mnemonic ("#GP") for logs. */
    public static String name(int vector) {
        return switch (vector) {
            case DE -> "#DE";
            case DB -> "#DB";
            case NMI -> "NMI";
            case BP -> "#BP";
            case OF -> "#OF";
            case BR -> "#BR";
            case UD -> "#UD";
            case NM -> "#NM";
            case DF -> "#DF";
            case TS -> "#TS";
            case NP -> "#NP";
            case SS -> "#SS";
            case GP -> "#GP";
            case PF -> "#PF";
            case MF -> "#MF";
            case AC -> "#AC";
            case MC -> "#MC";
            case XM -> "#XM";
            default -> "vector " + vector;
        };
    }
}
