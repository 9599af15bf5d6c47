package dev.partita.hv.vp;

import java.util.Arrays;

/** The 16 general-purpose registers (64 bits each). Immutable. */
public final class GeneralRegisters {
    /** All registers zero. */
    public static final GeneralRegisters ZERO = new GeneralRegisters(new long[16]);

    private final long[] values;

    private GeneralRegisters(long[] values) {
        this.values = values;
    }

    /** From 16 values in x86 encoding order (see {@link Gpr}). */
    public static GeneralRegisters of(long[] byEncoding) {
        if (byEncoding.length != 16) {
            throw new IllegalArgumentException("need 16 general registers, got " + byEncoding.length);
        }
        return new GeneralRegisters(byEncoding.clone());
    }

    public long get(Gpr r) {
        return values[r.ordinal()];
    }

    /** A copy with {@code r} set to {@code value}. */
    public GeneralRegisters with(Gpr r, long value) {
        long[] v = values.clone();
        v[r.ordinal()] = value;
        return new GeneralRegisters(v);
    }

    /** The 16 values in x86 encoding order (a fresh array). */
    public long[] toArray() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneralRegisters g && Arrays.equals(values, g.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Gpr r : Gpr.values()) {
            sb.append(String.format("%s=%016x%s", r.name().toLowerCase(), values[r.ordinal()], r.ordinal() % 4 == 3 ? "\n" : " "));
        }
        return sb.toString().strip();
    }
}
