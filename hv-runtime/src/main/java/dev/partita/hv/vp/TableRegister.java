package dev.partita.hv.vp;

/**
 * GDTR or IDTR.
 *
 * @param base  64-bit linear base
 * @param limit 16-bit limit
 */
public record TableRegister(long base, int limit) {
    public TableRegister {
        if ((limit & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("descriptor table limit out of range: 0x" + Integer.toHexString(limit));
        }
    }

    @Override
    public String toString() {
        return String.format("base=%016x limit=%04x", base, limit);
    }
}
