package dev.partita.hv.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmFlavourDetectorTest {

    @TempDir
    Path root;

    private HostPaths paths() throws IOException {
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("sys/module"));
        return new HostPaths(root.resolve("dev-kvm"), root.resolve("proc"), root.resolve("sys"));
    }

    private void module(String name) throws IOException {
        Files.createDirectories(root.resolve("sys/module").resolve(name).resolve("parameters"));
    }

    @Test
    void pvmModuleWithoutVmxOrSvm() throws IOException {
        HostPaths p = paths();
        module("kvm");
        module("kvm_pvm");
        KvmFlavourFacts f = KvmFlavourDetector.detect(p, true, false, false);
        assertEquals(KvmFlavour.PVM, f.flavour());
        assertEquals(List.of("kvm", "kvm_pvm"), f.modules());
        assertEquals(Optional.empty(), f.nested());
    }

    @Test
    void intelWithNestedParameterFromProcModules() throws IOException {
        HostPaths p = paths();
        Files.writeString(root.resolve("proc/modules"),
                "kvm_intel 413696 0 - Live 0x0\nkvm 1347584 1 kvm_intel, Live 0x0\n");
        module("kvm_intel");
        Files.writeString(root.resolve("sys/module/kvm_intel/parameters/nested"), "Y\n");
        KvmFlavourFacts f = KvmFlavourDetector.detect(p, true, true, false);
        assertEquals(KvmFlavour.HARDWARE_VMX, f.flavour());
        assertEquals(Optional.of(true), f.nested());
        assertEquals(List.of("kvm", "kvm_intel"), f.modules());
    }

    @Test
    void amdNestedOff() throws IOException {
        HostPaths p = paths();
        module("kvm");
        module("kvm_amd");
        Files.writeString(root.resolve("sys/module/kvm_amd/parameters/nested"), "0\n");
        KvmFlavourFacts f = KvmFlavourDetector.detect(p, true, false, true);
        assertEquals(KvmFlavour.HARDWARE_SVM, f.flavour());
        assertEquals(Optional.of(false), f.nested());
    }

    @Test
    void noDeviceMeansNone() throws IOException {
        HostPaths p = paths();
        module("kvm_intel");
        assertEquals(KvmFlavour.NONE, KvmFlavourDetector.detect(p, false, true, false).flavour());
    }

    @Test
    void workingDeviceWithoutVirtualizationBitsIsAssumedParavirtual() throws IOException {
        HostPaths p = paths();
        assertEquals(KvmFlavour.PVM, KvmFlavourDetector.detect(p, true, false, false).flavour());
        assertEquals(KvmFlavour.UNKNOWN, KvmFlavourDetector.detect(p, true, true, false).flavour());
    }

    @Test
    void iommuUnitsAndGroups() throws IOException {
        HostPaths p = paths();
        assertEquals(false, IommuFacts.read(p).present());
        Files.createDirectories(root.resolve("sys/class/iommu/dmar0"));
        Files.createDirectories(root.resolve("sys/kernel/iommu_groups/0"));
        Files.createDirectories(root.resolve("sys/kernel/iommu_groups/1"));
        IommuFacts f = IommuFacts.read(p);
        assertEquals(List.of("dmar0"), f.units());
        assertEquals(2, f.groups());
        assertEquals(true, f.present());
    }
}
