package dev.partita.hv.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * IOMMU presence, for device assignment later.
 *
 * @param units  entries of {@code /sys/class/iommu} (e.g. "dmar0", "ivhd0"), sorted
 * @param groups number of entries in {@code /sys/kernel/iommu_groups}
 */
public record IommuFacts(List<String> units, int groups) {

    /** True when the kernel registered at least one IOMMU or IOMMU group. */
    public boolean present() {
        return !units.isEmpty() || groups > 0;
    }

    /** Reads the two sysfs folders under {@code paths.sysRoot()}; missing folders count as empty. */
    public static IommuFacts read(HostPaths paths) {
        List<String> units = list(paths.sysRoot().resolve("class").resolve("iommu"));
        int groups = list(paths.sysRoot().resolve("kernel").resolve("iommu_groups")).size();
        return new IommuFacts(units, groups);
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
