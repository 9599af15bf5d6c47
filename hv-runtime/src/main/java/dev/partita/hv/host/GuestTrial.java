package dev.partita.hv.host;

import java.nio.file.Path;

/** Runs the functional test (tiny guests on a KVM device) and measures them. */
@FunctionalInterface
public interface GuestTrial {

    /**
     * Runs the guests on {@code device}; returns within a few seconds even if a guest hangs (such a step is
     * reported in {@link GuestTrialResult#problems()}). Never throws for a failing KVM call.
     */
    GuestTrialResult run(Path device);
}
