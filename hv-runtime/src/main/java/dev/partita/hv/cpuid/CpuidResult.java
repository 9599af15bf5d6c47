package dev.partita.hv.cpuid;

/**
 * The four registers one CPUID instruction returns. Immutable and freely shared between threads.
 */
public record CpuidResult(int eax, int ebx, int ecx, int edx) {

    /** All registers zero: what an unimplemented leaf or subleaf inside a valid range returns. */
    public static final CpuidResult ZERO = new CpuidResult(0, 0, 0, 0);

    /** The value of one register. */
    public int get(CpuidRegister register) {
        return switch (register) {
            case EAX -> eax;
            case EBX -> ebx;
            case ECX -> ecx;
            case EDX -> edx;
        };
    }

    /** A copy with one register replaced. */
    public CpuidResult with(CpuidRegister register, int value) {
        return switch (register) {
            case EAX -> new CpuidResult(value, ebx, ecx, edx);
            case EBX -> new CpuidResult(eax, value, ecx, edx);
            case ECX -> new CpuidResult(eax, ebx, value, edx);
            case EDX -> new CpuidResult(eax, ebx, ecx, value);
        };
    }

    /** A copy with the given bits of one register cleared. */
    public CpuidResult clear(CpuidRegister register, int bits) {
        return with(register, get(register) & ~bits);
    }

    /** A copy with the given bits of one register set. */
    public CpuidResult set(CpuidRegister register, int bits) {
        return with(register, get(register) | bits);
    }

    @Override
    public String toString() {
        return String.format("eax=%08x ebx=%08x ecx=%08x edx=%08x", eax, ebx, ecx, edx);
    }
}
