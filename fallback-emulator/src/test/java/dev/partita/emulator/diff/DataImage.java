package dev.partita.emulator.diff;

/**
 * The initial contents of the data region for one case: {@link DiffLayout#DATA_SIZE} bytes of
 * splitmix64 output from the case's seed, word by word, little-endian. The native oracle computes the
 * same image, so cases carry only the seed.
 */
public final class DataImage {
    private DataImage() {
    }

    /** One splitmix64 step from {@code state[0]}, which is advanced. */
    public static long splitmix64(long[] state) {
        long z = state[0] += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The image as 8-byte words. */
    public static long[] words(long seed) {
        long[] w = new long[DiffLayout.DATA_SIZE / 8];
        long[] s = {seed};
        for (int i = 0; i < w.length; i++) {
            w[i] = splitmix64(s);
        }
        return w;
    }
}
