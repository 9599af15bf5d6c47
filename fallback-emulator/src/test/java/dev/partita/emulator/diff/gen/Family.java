package dev.partita.emulator.diff.gen;

/**
 * A family of generated instruction forms. {@link #emit} appends one instruction (or a short fixed
 * group, e.g. a preload MOV and the instruction under test) with its operand set-up to the case
 * being built; it may be called several times on one context to make a sequence.
 */
public interface Family {

    /** Family name (reports, the "not yet compared" list). */
    String name();

    /** Appends one instruction of this family to the case. */
    void emit(GenContext g);

    /** Whether {@link #emit} may be used inside multi-instruction sequences. */
    default boolean sequenceSafe() {
        return true;
    }
}
