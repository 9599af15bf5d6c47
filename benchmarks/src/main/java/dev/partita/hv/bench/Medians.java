package dev.partita.hv.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Small statistics and output helpers shared by the whole-run benchmarks. Stateless. */
final class Medians {
    private Medians() {}

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String jsonList(List<Double> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(fmt(values.get(i)));
        }
        return sb.append(']').toString();
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Prints the failure line and a last JSON line with "error", then exits with status 1. */
    static void fail(String bench, Throwable e) {
        String why = e.getClass().getSimpleName() + ": " + e.getMessage();
        System.out.println(bench + ": FAILED: " + why);
        System.out.println("{\"bench\":" + jsonString(bench) + ",\"error\":" + jsonString(why) + "}");
        System.exit(1);
    }
}
