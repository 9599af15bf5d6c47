package dev.partita.emulator.exec;

import dev.partita.emulator.decoder.DecodedInsn;

/** x87 floating point (placeholder until the family is written). */
final class X87Unit {
    private final Interpreter in;

    X87Unit(Interpreter in) {
        this.in = in;
    }

    void execute(DecodedInsn d) {
        throw SystemInterface.notImplemented(d.entry.mnemonic);
    }

    Interpreter interpreter() {
        return in;
    }
}
