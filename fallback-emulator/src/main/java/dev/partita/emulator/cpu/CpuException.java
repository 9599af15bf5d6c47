package dev.partita.emulator.cpu;

/**
 * An architectural exception raised while executing one guest instruction: the vector, the error
 * code (or none) and, for #PF, the faulting linear address that goes to CR2. Hot control flow
 * only: it carries no stack trace and the common no-error-code and zero-error-code instances are
 * preallocated. Instances are immutable and may be shared between threads.
 *
 * <p>Thrown by {@code Mmu} and by instruction code; caught by the interpreter loop, which hands it
 * to the system package's exception delivery.
 */
public final class CpuException extends RuntimeException {

    /** Marker for "no error code". */
    public static final int NO_ERROR_CODE = -1;

    private static final CpuException[] PLAIN = new CpuException[32];
    private static final CpuException[] ZERO_CODE = new CpuException[32];

    static {
        for (int v = 0; v < 32; v++) {
            PLAIN[v] = new CpuException(v, NO_ERROR_CODE, 0);
            ZERO_CODE[v] = new CpuException(v, 0, 0);
        }
    }

    private final int vector;
    private final int errorCode;
    private final long faultAddress;

    private CpuException(int vector, int errorCode, long faultAddress) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.faultAddress = faultAddress;
    }

    /** An exception without an error code (#DE, #UD, #NM, #BP, …). Preallocated. */
    public static CpuException of(int vector) {
        return vector >= 0 && vector < 32 ? PLAIN[vector] : new CpuException(vector & 0xFF, NO_ERROR_CODE, 0);
    }

    /** An exception with an error code (#GP, #SS, #NP, #TS, #DF, #AC). Preallocated when the code is 0. */
    public static CpuException withCode(int vector, int errorCode) {
        if (errorCode == 0 && vector >= 0 && vector < 32) {
            return ZERO_CODE[vector];
        }
        return new CpuException(vector, errorCode, 0);
    }

    /** {@code #GP(errorCode)}. */
    public static CpuException gp(int errorCode) {
        return withCode(Vectors.GP, errorCode);
    }

    /** {@code #SS(errorCode)}. */
    public static CpuException ss(int errorCode) {
        return withCode(Vectors.SS, errorCode);
    }

    /** {@code #NP(errorCode)}. */
    public static CpuException np(int errorCode) {
        return withCode(Vectors.NP, errorCode);
    }

    /** {@code #TS(errorCode)}. */
    public static CpuException ts(int errorCode) {
        return withCode(Vectors.TS, errorCode);
    }

    /** {@code #UD}. */
    public static CpuException ud() {
        return PLAIN[Vectors.UD];
    }

    /** {@code #DE}. */
    public static CpuException de() {
        return PLAIN[Vectors.DE];
    }

    /** {@code #NM}. */
    public static CpuException nm() {
        return PLAIN[Vectors.NM];
    }

    /** {@code #PF} with its error code and the linear address for CR2. */
    public static CpuException pageFault(int errorCode, long linearAddress) {
        return new CpuException(Vectors.PF, errorCode, linearAddress);
    }

    /** The vector (0-255). */
    public int vector() {
        return vector;
    }

    /** Whether an error code is pushed. */
    public boolean hasErrorCode() {
        return errorCode != NO_ERROR_CODE;
    }

    /** The error code, or {@link #NO_ERROR_CODE}. */
    public int errorCode() {
        return errorCode;
    }

    /** The faulting linear address (CR2) for #PF; 0 otherwise. */
    public long faultAddress() {
        return faultAddress;
    }

    @Override
    public String getMessage() {
        return Vectors.name(vector) + (hasErrorCode() ? "(" + Integer.toHexString(errorCode) + ")" : "")
                + (vector == Vectors.PF ? " at " + Long.toHexString(faultAddress) : "");
    }
}
