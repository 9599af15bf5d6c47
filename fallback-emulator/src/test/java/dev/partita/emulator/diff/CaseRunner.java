package dev.partita.emulator.diff;

import java.util.List;

/** Something that runs differential cases: the host CPU (through the native oracle) or the emulator. */
public interface CaseRunner {

    /** Short name for reports ("host", "emulator"). */
    String name();

    /** Runs each case from its initial state; outcomes in case order. */
    List<Outcome> run(List<DiffCase> batch);
}
