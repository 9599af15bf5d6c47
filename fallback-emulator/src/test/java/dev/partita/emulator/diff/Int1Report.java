package dev.partita.emulator.diff;

import java.util.List;

/**
 * Where this host reports the #DB raised by INT1 (ICEBP, opcode F1), found by the native oracle's
 * start-up self-check ({@link #probe()}, classified by {@link #of(Outcome)}).
 *
 * <p>The SDM makes INT1's #DB a trap: the saved RIP is the next instruction. A host that is itself a
 * virtual machine may see otherwise: a hypervisor that intercepts ICEBP and re-injects the #DB as a
 * fault makes Linux report it at the instruction. INT1 changes no other state, so the oracle can
 * report the architectural outcome on such a host by moving RIP past the INT1 ({@link #toSdm}); the
 * comparison then does not depend on which host it runs on. Immutable; thread-safe.
 */
public enum Int1Report {
    /** #DB reported after the INT1 instruction, as the SDM specifies. */
    AFTER_INSTRUCTION,
    /** #DB reported at the INT1 instruction (a hypervisor below this host intercepts ICEBP). */
    AT_INSTRUCTION;

    private static final int INT1 = 0xF1;
    private static final int MAX_LENGTH = 15;

    /** The self-check case: a segment override and an operand-size prefix, then INT1 (3 bytes). */
    public static DiffCase probe() {
        byte[] code = {0x26, 0x66, (byte) INT1};
        return new DiffCase("selfcheck", "int1", code, List.of("int1"), List.of(0), new long[16], 0, 1, new long[32],
                0x1F80, new int[] {0, 0}, new boolean[] {false, false});
    }

    /**
     * Classifies the host's outcome of {@link #probe()}.
     *
     * @throws IllegalStateException when the host did something else (no #DB, or RIP neither at nor
     *                               after the instruction): the oracle cannot stand in for the SDM there
     */
    public static Int1Report of(Outcome probeOutcome) {
        int length = probe().code().length;
        if (probeOutcome.kind() == Outcome.Kind.FAULT && probeOutcome.vector() == 1) {
            if (probeOutcome.rip() == DiffLayout.CODE_BASE + length) {
                return AFTER_INSTRUCTION;
            }
            if (probeOutcome.rip() == DiffLayout.CODE_BASE) {
                return AT_INSTRUCTION;
            }
        }
        throw new IllegalStateException(String.format("native oracle self-check: INT1 at %x ended as %s at rip %x; "
                + "the SDM's trap reports #DB (vector 1) at %x", DiffLayout.CODE_BASE, Verdict.describe(probeOutcome),
                probeOutcome.rip(), DiffLayout.CODE_BASE + length));
    }

    /** The one line the oracle prints about this host at start-up. */
    public String line() {
        return switch (this) {
            case AFTER_INSTRUCTION -> "native oracle self-check: this host reports INT1 (ICEBP) #DB after the "
                    + "instruction, as the SDM specifies";
            case AT_INSTRUCTION -> "native oracle self-check: this host reports INT1 (ICEBP) #DB at the instruction "
                    + "(a hypervisor below it intercepts ICEBP); the oracle reports those #DB after the INT1, as the SDM specifies";
        };
    }

    /**
     * The host's outcome for case {@code c} as the SDM has it: on an {@link #AT_INSTRUCTION} host a
     * #DB reported at an INT1 instruction of the case's code moves past that instruction; every other
     * outcome is returned unchanged.
     */
    public Outcome toSdm(DiffCase c, Outcome host) {
        if (this == AFTER_INSTRUCTION || host.kind() != Outcome.Kind.FAULT || host.vector() != 1) {
            return host;
        }
        int length = int1Length(c.code(), host.rip() - DiffLayout.CODE_BASE);
        if (length == 0) {
            return host;
        }
        return new Outcome(host.kind(), host.vector(), host.errorCode(), host.cr2(), host.rip() + length, host.rflags(),
                host.gpr(), host.xmm(), host.mxcsr(), host.memDiff());
    }

    /** Length of the INT1 instruction (prefixes, optional REX, F1) at {@code offset} of {@code code}; 0 if none. */
    static int int1Length(byte[] code, long offset) {
        if (offset < 0 || offset >= code.length) {
            return 0;
        }
        int at = (int) offset;
        int end = Math.min(code.length, at + MAX_LENGTH);
        for (int i = at; i < end; i++) {
            int b = code[i] & 0xFF;
            if (b == INT1) {
                return i - at + 1;
            }
            if (!isPrefix(b)) {
                return 0;
            }
        }
        return 0;
    }

    /** Legacy prefixes (operand/address size, REP, LOCK, segment overrides) and REX. */
    private static boolean isPrefix(int b) {
        return switch (b) {
            case 0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x3E, 0x26, 0x36, 0x64, 0x65 -> true;
            default -> (b & 0xF0) == 0x40;
        };
    }
}
