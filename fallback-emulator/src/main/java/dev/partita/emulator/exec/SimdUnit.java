package dev.partita.emulator.exec;

import dev.partita.emulator.decoder.DecodedInsn;

/** MMX/SSE (placeholder until the family is written). */
final class SimdUnit {
    private final Interpreter in;

    SimdUnit(Interpreter in) {
        this.in = in;
    }

    void execute(DecodedInsn d) {
        throw SystemInterface.notImplemented(d.entry.mnemonic);
    }

    void state(DecodedInsn d) {
        throw SystemInterface.notImplemented(d.entry.mnemonic);
    }

    Interpreter interpreter() {
        return in;
    }
}
