package dev.partita.hv.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Parses the first processor block of {@code /proc/cpuinfo}. Stateless. */
public final class ProcCpuinfoParser {

    private ProcCpuinfoParser() {
    }

    /** Reads and parses {@code procRoot/cpuinfo}. */
    public static CpuinfoFacts read(Path procRoot) {
        Path file = procRoot.resolve("cpuinfo");
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new HostProbeException("reading " + file, e);
        }
    }

    /** Parses cpuinfo text; only the first processor block (up to the first blank line) counts. */
    public static CpuinfoFacts parse(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    break;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return new CpuinfoFacts(fields.getOrDefault("vendor_id", ""), fields.getOrDefault("model name", ""),
                number(fields.get("cpu family")), number(fields.get("model")), number(fields.get("stepping")),
                words(fields.get("flags")), words(fields.get("vmx flags")));
    }

    private static int number(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Set<String> words(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split("\\s+")).collect(Collectors.toUnmodifiableSet());
    }
}
