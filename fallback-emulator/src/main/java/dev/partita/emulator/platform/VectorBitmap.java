package dev.partita.emulator.platform;

/**
 * A 256-bit set of interrupt vectors, in the layout of the local APIC's IRR/ISR/TMR (eight 32-bit
 * words, vector v in word v/32, bit v%32). Not thread-safe; the owning {@link LocalApic} locks.
 */
final class VectorBitmap {

    private final int[] words = new int[8];

    void set(int vector) {
        words[vector >>> 5] |= 1 << (vector & 31);
    }

    void clear(int vector) {
        words[vector >>> 5] &= ~(1 << (vector & 31));
    }

    boolean test(int vector) {
        return (words[vector >>> 5] & (1 << (vector & 31))) != 0;
    }

    /** The highest vector in the set, or -1. */
    int highest() {
        for (int w = 7; w >= 0; w--) {
            if (words[w] != 0) {
                return w * 32 + 31 - Integer.numberOfLeadingZeros(words[w]);
            }
        }
        return -1;
    }

    int word(int index) {
        return words[index];
    }

    void setWord(int index, int value) {
        words[index] = value;
    }

    void clearAll() {
        java.util.Arrays.fill(words, 0);
    }

    int[] toArray() {
        return words.clone();
    }

    void load(int[] values) {
        if (values.length != 8) {
            throw new IllegalArgumentException("vector bitmap needs 8 words, got " + values.length);
        }
        System.arraycopy(values, 0, words, 0, 8);
    }
}
