package dev.partita.hv.host;

import dev.partita.hv.cpuid.CpuidResult;

/** Bit tests and ASCII decoding of CPUID registers (vendor, hypervisor signature, brand string). Stateless. */
public final class CpuidText {

    private CpuidText() {
    }

    /** Whether bit {@code bit} (0..31) of {@code register} is set. */
    public static boolean bit(int register, int bit) {
        return ((register >>> bit) & 1) != 0;
    }

    /** The 12 ASCII bytes of three registers in the given order (vendor and hypervisor signatures). */
    public static String ascii(int first, int second, int third) {
        return printable(new int[] {first, second, third});
    }

    /** The 16 ASCII bytes of all four registers in order EAX, EBX, ECX, EDX (one brand-string leaf). */
    public static String ascii16(CpuidResult leaf) {
        return printable(new int[] {leaf.eax(), leaf.ebx(), leaf.ecx(), leaf.edx()});
    }

    /** Little-endian bytes of the registers up to the first NUL; non-printable bytes become '?'. */
    private static String printable(int[] regs) {
        StringBuilder sb = new StringBuilder(regs.length * 4);
        for (int reg : regs) {
            for (int b = 0; b < 4; b++) {
                int c = (reg >>> (8 * b)) & 0xFF;
                if (c == 0) {
                    return sb.toString();
                }
                sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
            }
        }
        return sb.toString();
    }
}
