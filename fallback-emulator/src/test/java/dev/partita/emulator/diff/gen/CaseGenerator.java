package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.DiffCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Deterministic case generation by family. Case {@code i} of family {@code f} under seed {@code s}
 * depends only on (s, f, i), so any reported case can be regenerated alone with {@link #one}.
 * Thread-safe (no shared mutable state).
 */
public final class CaseGenerator {

    private static final Map<String, Supplier<Family>> SINGLE = new LinkedHashMap<>();

    static {
        SINGLE.put("alu", () -> new AluFamily(true));
        SINGLE.put("unary", () -> new UnaryFamily(true));
        SINGLE.put("shift", () -> new ShiftFamily(true));
        SINGLE.put("dshift", DoubleShiftFamily::new);
        SINGLE.put("bittest", BitTestFamily::new);
        SINGLE.put("bitscan", () -> new BitScanFamily(false));
        SINGLE.put("bitcount", () -> new BitScanFamily(true));
        SINGLE.put("muldiv", MulDivFamily::new);
        SINGLE.put("exchange", () -> new ExchangeFamily(true));
        SINGLE.put("move", () -> new MoveFamily(true));
        SINGLE.put("cond", () -> new CondFamily(true));
        SINGLE.put("control", ControlFamily::new);
        SINGLE.put("lea", LeaFamily::new);
        SINGLE.put("string", StringFamily::new);
        SINGLE.put("stack", StackFamily::new);
        SINGLE.put("misc", MiscFamily::new);
        SINGLE.put("sse", () -> new SseFamily(false));
        SINGLE.put("ssefp", () -> new SseFamily(true));
        SINGLE.put("x87", X87Family::new);
    }

    /** Families usable inside sequences. */
    private static final List<Supplier<Family>> IN_SEQUENCE = List.of(
            () -> new AluFamily(false), () -> new AluFamily(false), () -> new UnaryFamily(false),
            () -> new ShiftFamily(false), DoubleShiftFamily::new, BitTestFamily::new,
            () -> new BitScanFamily(false), MulDivFamily::new, () -> new ExchangeFamily(false),
            () -> new MoveFamily(false), () -> new CondFamily(false), () -> new CondFamily(false),
            LeaFamily::new, StackFamily::new, MiscFamily::new, ControlFamily::new);

    private CaseGenerator() {
    }

    /** Every family name: the single-instruction families, then "seq" and "randbytes". */
    public static List<String> families() {
        List<String> all = new ArrayList<>(SINGLE.keySet());
        all.add("seq");
        all.add("randbytes");
        return all;
    }

    /** Cases {@code from} (inclusive) to {@code to} (exclusive) of a family. */
    public static List<DiffCase> range(String family, long seed, int from, int to) {
        List<DiffCase> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(one(family, seed, i));
        }
        return out;
    }

    /** Case {@code index} of {@code family} under {@code seed}. */
    public static DiffCase one(String family, long seed, int index) {
        long mixed = seed * 0x9E3779B97F4A7C15L + family.hashCode() * 0xC2B2AE3D27D4EB4FL + index;
        SplittableRandom rng = new SplittableRandom(mixed);
        for (int attempt = 0; ; attempt++) {
            try {
                return make(family, rng);
            } catch (IllegalStateException e) {
                // Ran out of registers for this random shape: draw again (deterministically).
                if (attempt > 20) {
                    throw new IllegalStateException("cannot generate " + family + " case " + index, e);
                }
            }
        }
    }

    private static DiffCase make(String family, SplittableRandom rng) {
        if (family.equals("seq")) {
            GenContext g = new GenContext(rng, "seq", true);
            int n = rng.nextInt(2, 7);
            for (int k = 0; k < n; k++) {
                IN_SEQUENCE.get(rng.nextInt(IN_SEQUENCE.size())).get().emit(g);
            }
            g.form("seq");
            return g.build();
        }
        if (family.equals("randbytes")) {
            return RandomBytesFamily.make(rng);
        }
        Supplier<Family> f = SINGLE.get(family);
        if (f == null) {
            throw new IllegalArgumentException("unknown family " + family);
        }
        GenContext g = new GenContext(rng, family, false);
        f.get().emit(g);
        return g.build();
    }
}
