package dev.partita.emulator.cpu;

/**
 * Segment register numbers in the x86 encoding order (the {@code reg} field of MOV Sreg and the
 * segment-override prefix order), used as indices into {@link CpuState#seg}. LDTR and TR follow
 * so that system-segment code can use the same {@link Segment} type.
 */
public final class SegReg {
    public static final int ES = 0;
    public static final int CS = 1;
    public static final int SS = 2;
    public static final int DS = 3;
    public static final int FS = 4;
    public static final int GS = 5;
    /** Local descriptor table register (hidden part included). */
    public static final int LDTR = 6;
    /** Task register (hidden part included). */
    public static final int TR = 7;
    /** Number of entries in {@link CpuState#seg}. */
    public static final int COUNT = 8;

    private static final String[] NAMES = {"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr"};

    private SegReg() {
    }

    /** The assembler name of a segment register index ("es" … "tr"). */
    public static String name(int index) {
        return index >= 0 && index < COUNT ? NAMES[index] : "seg?" + index;
    }
}
