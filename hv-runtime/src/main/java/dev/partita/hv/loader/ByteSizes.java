package dev.partita.hv.loader;

/**
 * Byte counts for people: formats them for messages ("40 MiB") and parses sizes with binary units
 * ("32M", "512k", "1G", "64MiB"). Stateless.
 */
public final class ByteSizes {

    private ByteSizes() {}

    /** {@code n} in the largest binary unit that divides it exactly, else in bytes (or KiB/MiB with one decimal). */
    public static String human(long n) {
        if (n < 0) {
            return Long.toUnsignedString(n) + " bytes";
        }
        String[] units = {"GiB", "MiB", "KiB"};
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (n >= sizes[i] && n % sizes[i] == 0) {
                return (n / sizes[i]) + " " + units[i];
            }
        }
        for (int i = 0; i < units.length; i++) {
            if (n >= sizes[i]) {
                return String.format("%.1f %s", (double) n / sizes[i], units[i]);
            }
        }
        return n + (n == 1 ? " byte" : " bytes");
    }

    /**
     * Parses a size: a decimal number followed by an optional unit K, M, G or T (binary: 1024-based;
     * case-insensitive; "KB"/"KiB" spellings accepted). A number without a unit is bytes.
     *
     * @throws IllegalArgumentException with a one-line message for anything else, or on overflow
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size");
        }
        String t = text.strip();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected a number with an optional unit K, M, G or T, e.g. 32M)");
        }
        String unit = t.substring(i).strip().toUpperCase(java.util.Locale.ROOT);
        int shift = switch (unit) {
            case "", "B" -> 0;
            case "K", "KB", "KIB" -> 10;
            case "M", "MB", "MIB" -> 20;
            case "G", "GB", "GIB" -> 30;
            case "T", "TB", "TIB" -> 40;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + t.substring(i).strip()
                    + "' (use K, M, G or T)");
        };
        long number;
        try {
            number = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return number << shift;
    }
}
