package dev.partita.hv.acpi;

/**
 * Compressed EISA ids ("PNP0501"): three letters A-Z packed 5 bits each (value - 0x40) and four hex
 * digits, stored so the bytes in memory read manufacturer-then-product (the ACPI EISAID() macro). Stateless.
 */
public final class EisaId {
    private EisaId() {}

    /** The 32-bit value for {@code id}: three upper-case letters followed by four hex digits. */
    public static long encode(String id) {
        if (id.length() != 7) {
            throw new IllegalArgumentException("EISA id '" + id + "' must be 3 letters and 4 hex digits");
        }
        int mfg = 0;
        for (int i = 0; i < 3; i++) {
            char c = id.charAt(i);
            if (c < 'A' || c > 'Z') {
                throw new IllegalArgumentException("EISA id '" + id + "': '" + c + "' is not an upper-case letter");
            }
            mfg = (mfg << 5) | (c - 0x40);
        }
        int product;
        try {
            product = Integer.parseInt(id.substring(3), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("EISA id '" + id + "': '" + id.substring(3) + "' is not 4 hex digits");
        }
        // Big-endian 16-bit manufacturer code, then the product's two bytes, read as one little-endian dword.
        int b0 = (mfg >>> 8) & 0xFF, b1 = mfg & 0xFF, b2 = (product >>> 8) & 0xFF, b3 = product & 0xFF;
        return (b0 | b1 << 8 | b2 << 16 | (long) b3 << 24) & 0xFFFF_FFFFL;
    }
}
