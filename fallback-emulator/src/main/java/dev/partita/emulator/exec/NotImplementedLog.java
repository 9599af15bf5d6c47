package dev.partita.emulator.exec;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Logs each instruction mnemonic that reached a "not yet implemented" path, once per process. */
final class NotImplementedLog {
    private static final System.Logger LOG = System.getLogger("dev.partita.emulator.exec");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private NotImplementedLog() {
    }

    static void note(String mnemonic) {
        if (SEEN.add(mnemonic)) {
            LOG.log(System.Logger.Level.WARNING, "not yet implemented: {0} (raising #UD)", mnemonic);
        }
    }

    /** The mnemonics seen so far (for tests and diagnostics). */
    static Set<String> seen() {
        return Set.copyOf(SEEN);
    }
}
