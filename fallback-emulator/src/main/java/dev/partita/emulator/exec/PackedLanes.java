package dev.partita.emulator.exec;

/**
 * Lane arithmetic on 64-bit chunks of MMX/XMM registers (8 bytes, 4 words, 2 dwords or 1 qword per
 * chunk): wrap-around add/subtract in SWAR form, saturating arithmetic, compares, min/max, averages,
 * shifts and pack/unpack helpers. Stateless.
 */
final class PackedLanes {
    private PackedLanes() {
    }

    private static final long[] HIGH = {0, 0x8080_8080_8080_8080L, 0x8000_8000_8000_8000L, 0, 0x8000_0000_8000_0000L,
        0, 0, 0, 0x8000_0000_0000_0000L};

    /** High bit of every lane of {@code bytes} bytes. */
    static long high(int bytes) {
        return HIGH[bytes];
    }

    static long add(long a, long b, int bytes) {
        long h = HIGH[bytes];
        return ((a & ~h) + (b & ~h)) ^ ((a ^ b) & h);
    }

    static long sub(long a, long b, int bytes) {
        long h = HIGH[bytes];
        return ((a | h) - (b & ~h)) ^ ((a ^ ~b) & h);
    }

    static long lane(long v, int i, int bytes) {
        int bits = bytes * 8;
        return bits == 64 ? v : (v >>> (i * bits)) & ((1L << bits) - 1);
    }

    static long slane(long v, int i, int bytes) {
        int bits = bytes * 8;
        return (v << (64 - (i + 1) * bits)) >> (64 - bits);
    }

    static long put(long acc, int i, int bytes, long value) {
        int bits = bytes * 8;
        if (bits == 64) {
            return value;
        }
        long m = ((1L << bits) - 1) << (i * bits);
        return (acc & ~m) | ((value << (i * bits)) & m);
    }

    /** Lane-wise operation selector for {@link #map}. */
    static final int ADDS = 0, ADDUS = 1, SUBS = 2, SUBUS = 3, CMPEQ = 4, CMPGT = 5, MINU = 6, MAXU = 7,
            MINS = 8, MAXS = 9, AVG = 10, MULLO = 11, MULHI = 12, MULHU = 13, SIGN = 14, ABS = 15, MULHRS = 16;

    /** Applies {@code op} lane by lane. */
    static long map(int op, long a, long b, int bytes) {
        int n = 8 / bytes;
        int bits = bytes * 8;
        long max = (1L << (bits - 1)) - 1;
        long min = -(1L << (bits - 1));
        long umax = bits == 64 ? -1 : (1L << bits) - 1;
        long r = 0;
        for (int i = 0; i < n; i++) {
            long ua = lane(a, i, bytes);
            long ub = lane(b, i, bytes);
            long sa = slane(a, i, bytes);
            long sb = slane(b, i, bytes);
            long v = switch (op) {
                case ADDS -> Math.max(min, Math.min(max, sa + sb));
                case ADDUS -> Math.min(umax, ua + ub);
                case SUBS -> Math.max(min, Math.min(max, sa - sb));
                case SUBUS -> Math.max(0, ua - ub);
                case CMPEQ -> ua == ub ? -1 : 0;
                case CMPGT -> sa > sb ? -1 : 0;
                case MINU -> Math.min(ua, ub);
                case MAXU -> Math.max(ua, ub);
                case MINS -> Math.min(sa, sb);
                case MAXS -> Math.max(sa, sb);
                case AVG -> (ua + ub + 1) >>> 1;
                case MULLO -> sa * sb;
                case MULHI -> (sa * sb) >> bits;
                case MULHU -> (ua * ub) >>> bits;
                case SIGN -> sb < 0 ? -sa : sb == 0 ? 0 : sa;
                case ABS -> Math.abs(sb);
                default -> (((sa * sb) >> (bits - 2)) + 1) >> 1; // MULHRS
            };
            r = put(r, i, bytes, v);
        }
        return r;
    }

    /** Logical/arithmetic shift of each lane by {@code count} (counts >= lane width clear or fill). */
    static long shift(long a, int bytes, long count, int kind) {
        int bits = bytes * 8;
        int n = 8 / bytes;
        if (Long.compareUnsigned(count, bits) >= 0) {
            if (kind != 2) {
                return 0;
            }
            count = bits - 1;
        }
        int c = (int) count;
        long r = 0;
        for (int i = 0; i < n; i++) {
            long v = switch (kind) {
                case 0 -> lane(a, i, bytes) << c;            // left
                case 1 -> lane(a, i, bytes) >>> c;           // logical right
                default -> slane(a, i, bytes) >> c;          // arithmetic right
            };
            r = put(r, i, bytes, v);
        }
        return r;
    }

    /** Signed saturation of {@code v} to {@code bytes}. */
    static long satSigned(long v, int bytes) {
        int bits = bytes * 8;
        long max = (1L << (bits - 1)) - 1;
        return Math.max(-max - 1, Math.min(max, v));
    }

    /** Unsigned saturation of a signed {@code v} to {@code bytes}. */
    static long satUnsigned(long v, int bytes) {
        long max = (1L << (bytes * 8)) - 1;
        return Math.max(0, Math.min(max, v));
    }
}
