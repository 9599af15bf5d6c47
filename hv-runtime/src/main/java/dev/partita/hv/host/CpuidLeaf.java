package dev.partita.hv.host;

/**
 * The four registers one CPUID query returns. Immutable; safe to share between threads.
 *
 * @param eax EAX after CPUID
 * @param ebx EBX after CPUID
 * @param ecx ECX after CPUID
 * @param edx EDX after CPUID
 */
public record CpuidLeaf(int eax, int ebx, int ecx, int edx) {

    /** All-zero result: what CPUID returns for an unsupported leaf on many CPUs. */
    public static final CpuidLeaf ZERO = new CpuidLeaf(0, 0, 0, 0);

    /** Whether bit {@code bit} (0..31) of {@code register} is set. */
    public static boolean bit(int register, int bit) {
        return ((register >>> bit) & 1) != 0;
    }

    /** The 12 ASCII bytes of three registers in the given order (vendor and hypervisor signatures). */
    public static String ascii(int first, int second, int third) {
        byte[] bytes = new byte[12];
        int[] regs = {first, second, third};
        for (int r = 0; r < 3; r++) {
            for (int b = 0; b < 4; b++) {
                bytes[r * 4 + b] = (byte) (regs[r] >>> (8 * b));
            }
        }
        return printable(bytes);
    }

    /** The 16 ASCII bytes of all four registers in order EAX, EBX, ECX, EDX (brand string pieces). */
    public String ascii16() {
        byte[] bytes = new byte[16];
        int[] regs = {eax, ebx, ecx, edx};
        for (int r = 0; r < 4; r++) {
            for (int b = 0; b < 4; b++) {
                bytes[r * 4 + b] = (byte) (regs[r] >>> (8 * b));
            }
        }
        return printable(bytes);
    }

    /** Bytes up to the first NUL, non-printable ones replaced by '?'. */
    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            if (b == 0) {
                break;
            }
            sb.append(b >= 0x20 && b < 0x7F ? (char) b : '?');
        }
        return sb.toString();
    }
}
