package dev.partita.hv.state;

import dev.partita.hv.Partition;
import dev.partita.hv.VirtualProcessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pauses, resumes, saves and restores one VM: its partition (virtual processors, the backend's
 * platform state, guest memory) and the {@link Saveable} devices the VM's composer registers.
 *
 * <p>A state file holds, in this order: {@code vp/0..N-1} ({@link VpStateSection}),
 * {@code platform/BACKEND} (the backend's own format), each device section in registration order,
 * then {@code memory}. {@link #restore} applies memory first, then processors, platform and
 * devices, and only after every section has been read and verified; a file whose memory size,
 * processor count or section names differ from this VM's is refused before anything is read.
 *
 * <p>Threads: one thread drives a controller at a time (the worker's control thread); the
 * partition's processors keep running on their own threads between {@link #pause()} and
 * {@link #resume()}.
 */
public final class VmStateController {
    private final Partition partition;
    private final List<Saveable> devices;

    /**
     * @param partition the VM's partition
     * @param devices   its components with guest-visible state outside the partition, restore order
     */
    public VmStateController(Partition partition, List<Saveable> devices) {
        this.partition = Objects.requireNonNull(partition, "partition");
        this.devices = List.copyOf(devices);
        List<String> names = new ArrayList<>();
        for (Saveable d : this.devices) {
            String n = StateNames.check(d.stateName());
            if (names.contains(n) || n.equals(StateFileLayout.MEMORY) || n.startsWith("vp/") || n.startsWith("platform/")) {
                throw new IllegalArgumentException("device section name '" + n + "' is repeated or reserved");
            }
            names.add(n);
        }
    }

    /** What a state file of this VM says about it (the header {@link #save} writes and {@link #restore} expects). */
    public StateFileHeader shape() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < partition.processors().size(); i++) {
            names.add(VpStateSection.name(i));
        }
        names.add(platformSection());
        for (Saveable d : devices) {
            names.add(d.stateName());
        }
        names.add(StateFileLayout.MEMORY);
        return new StateFileHeader(StateFileHeader.FORMAT_VERSION, partition.backendName(),
                partition.config().memoryBytes(), partition.processors().size(), names);
    }

    private String platformSection() {
        return "platform/" + partition.backendName();
    }

    /**
     * Stops every processor at an instruction boundary, then lets each device come to rest
     * ({@link Saveable#quiesce()}: VSP pipelines drained, device timers stopped); returns once all
     * processors are out of guest mode and the devices are quiet.
     *
     * @throws IllegalStateException when a device cannot come to rest (the processors stay paused)
     */
    public void pause() {
        partition.pause();
        for (Saveable d : devices) {
            d.quiesce();
        }
    }

    /** Restarts the devices' own work ({@link Saveable#resume()}), then lets the processors run again. */
    public void resume() {
        for (Saveable d : devices) {
            d.resume();
        }
        partition.resume();
    }

    /** What a save wrote. */
    public record SaveSummary(long fileBytes, long memoryBytesStored, long memoryBytes) {
    }

    /**
     * Pauses the VM (it stays paused; {@link #resume()} or close it afterwards) and writes its
     * state to {@code file}, replacing it only once the whole file is written.
     */
    public SaveSummary save(Path file, StateProgress progress) throws IOException {
        if (partition.hasEnded()) {
            throw new IllegalStateException("cannot save " + partition.name() + ": it has ended ("
                    + partition.result().report() + ")");
        }
        pause();
        StateFileHeader header = shape();
        try (StateFileWriter w = StateFileWriter.create(file, header)) {
            for (VirtualProcessor vp : partition.processors()) {
                w.section(VpStateSection.name(vp.index()), VpStateSection.VERSION, VpStateSection.encode(vp.state()));
            }
            w.section(platformSection(), 1, partition.savePlatformState());
            for (Saveable d : devices) {
                w.section(d.stateName(), d.stateVersion(), d.saveState());
            }
            long stored = w.memory(partition.memory(), progress);
            long size = w.commit();
            return new SaveSummary(size, stored, partition.config().memoryBytes());
        }
    }

    /** Reads the header of {@code file} (to create a VM of the right shape before {@link #restore}). */
    public static StateFileHeader inspect(Path file) throws IOException, StateFileException {
        try (StateFileReader r = StateFileReader.open(file)) {
            return r.header();
        }
    }

    /**
     * Loads {@code file} into this VM, whose partition has been created for it and not started
     * (its RAM is still all zero: pages the file does not store stay zero). Once every section is
     * loaded the devices resume their own work ({@link Saveable#resume()}); afterwards
     * {@link Partition#start()} continues the guest where it was saved.
     *
     * @throws StateFileException if the file is damaged, forged, of another format version or
     *                            from a VM of another configuration; the partition is then unusable
     */
    public void restore(Path file, StateProgress progress) throws IOException, StateFileException {
        restore(file, progress, false);
    }

    /**
     * Like {@link #restore}, for a file saved on another backend: the processors (in the neutral
     * {@link VpStateSection} form, each with its local APIC page), the devices and memory load; the
     * state the backend keeps itself (8259 PIC, 8254 PIT, I/O APIC, and the KVM clock) is not
     * converted between the backends' formats and starts from this backend's reset state. That
     * suits guests that do not depend on it at the moment of the save (the test guests mask the 8259
     * and leave the PIT alone); a guest with a PIT or I/O APIC interrupt in flight would lose it.
     *
     * @return the name of the section that was left out (e.g. {@code platform/emulator}), or null
     *         when the file is from this backend (then this is {@link #restore})
     */
    public String restoreFromAnyBackend(Path file, StateProgress progress) throws IOException, StateFileException {
        return restore(file, progress, true);
    }

    private String restore(Path file, StateProgress progress, boolean anyBackend) throws IOException, StateFileException {
        if (partition.isStarted()) {
            throw new IllegalStateException("restore needs a partition that has not started: " + partition.name());
        }
        try (StateFileReader r = StateFileReader.open(file)) {
            StateFileHeader expected = shape();
            String filePlatform = r.header().sections().stream().filter(n -> n.startsWith("platform/")).findFirst()
                    .orElse(platformSection());
            boolean foreign = anyBackend && !filePlatform.equals(platformSection());
            if (foreign) {
                expected = new StateFileHeader(expected.formatVersion(), expected.backend(), expected.memoryBytes(),
                        expected.cpus(), expected.sections().stream().map(n -> n.equals(platformSection()) ? filePlatform : n)
                        .toList());
            }
            String mismatch = r.header().mismatch(expected);
            if (mismatch != null) {
                throw new StateFileException("state file " + file.getFileName() + " does not fit this VM: " + mismatch);
            }
            Map<String, StateFileReader.Section> sections = new LinkedHashMap<>(r.readSections(partition.memory(), progress));
            for (VirtualProcessor vp : partition.processors()) {
                StateFileReader.Section s = sections.get(VpStateSection.name(vp.index()));
                vp.setState(VpStateSection.decode(s.name(), s.payload(), s.version()));
            }
            if (!foreign) {
                restorePlatform(sections.get(platformSection()));
            }
            for (Saveable d : devices) {
                StateFileReader.Section s = sections.get(d.stateName());
                d.restoreState(s.payload(), s.version());
            }
            for (Saveable d : devices) {
                d.resume();
            }
            return foreign ? filePlatform : null;
        }
    }

    private void restorePlatform(StateFileReader.Section platform) throws StateFileException {
        if (platform.version() != 1) {
            throw new StateFileException("section '" + platform.name() + "' has layout version " + platform.version()
                    + ", this build reads 1");
        }
        try {
            partition.restorePlatformState(platform.payload());
        } catch (IllegalArgumentException e) {
            throw new StateFileException("section '" + platform.name() + "' cannot be restored: " + e.getMessage(), e);
        }
    }
}
