package dev.partita.hv.state;

import java.util.Objects;

/**
 * A component with guest-visible state that a saved VM carries: it has a section name unique in
 * its VM ({@code "hyperv"}, {@code "serial0"}, {@code "vp/0"}), a version of its section layout,
 * and turns its state into bytes and back.
 *
 * <p>Threads: {@link #saveState()} and {@link #restoreState} are called by the thread driving a
 * save or restore, only while the partition's processors are paused (or not yet started), so the
 * component sees no guest access concurrently with them.
 */
public interface Saveable {

    /** The section name: 1-64 characters of {@code [A-Za-z0-9_./-]}, unique within one VM. */
    String stateName();

    /** The layout version this build writes; {@link #restoreState} receives the file's version. */
    int stateVersion();

    /** The component's state now. */
    byte[] saveState();

    /**
     * Replaces the component's state with a section written by {@link #saveState()}.
     *
     * @param state   the section payload (its checksum has been verified)
     * @param version the layout version it was written with
     * @throws StateFileException if the payload is malformed or of a version this build cannot read
     */
    void restoreState(byte[] state, int version) throws StateFileException;

    /**
     * The processors have just stopped: finish or stop the work the component does on its own
     * (host threads writing into guest memory, timers sending to the guest), so that what
     * {@link #saveState()} and the memory section capture next is consistent. Called by the
     * thread driving the pause, once per pause, in device order.
     *
     * @throws IllegalStateException when the component cannot come to rest (the reason says why)
     */
    default void quiesce() {
    }

    /**
     * The VM continues (after a pause, or after a restore before its processors start): restart
     * the work {@link #quiesce()} stopped. Called by the thread driving the resume, in device order.
     */
    default void resume() {
    }

    /** How a {@link #of} adapter decodes a payload; may throw {@link IllegalArgumentException} for bad input. */
    @FunctionalInterface
    interface Restorer {
        void restore(byte[] state) throws StateFileException;
    }

    /** How a {@link #of} adapter encodes its state. */
    @FunctionalInterface
    interface Saver {
        byte[] save();
    }

    /**
     * A saveable made of two functions, for components whose own API already saves and restores
     * bytes. Only {@code version} is accepted on restore; an {@link IllegalArgumentException} or
     * {@link IllegalStateException} from {@code restorer} becomes a {@link StateFileException}
     * naming the section.
     */
    static Saveable of(String name, int version, Saver saver, Restorer restorer) {
        StateNames.check(name);
        Objects.requireNonNull(saver, "saver");
        Objects.requireNonNull(restorer, "restorer");
        return new Saveable() {
            @Override
            public String stateName() {
                return name;
            }

            @Override
            public int stateVersion() {
                return version;
            }

            @Override
            public byte[] saveState() {
                return saver.save();
            }

            @Override
            public void restoreState(byte[] state, int fileVersion) throws StateFileException {
                if (fileVersion != version) {
                    throw new StateFileException("section '" + name + "' has layout version " + fileVersion
                            + ", this build reads " + version);
                }
                try {
                    restorer.restore(state);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new StateFileException("section '" + name + "' cannot be restored: " + e.getMessage(), e);
                }
            }
        };
    }
}
