package dev.partita.emulator.diff;

import java.util.Optional;

/**
 * Emulator/host differences that the differential test has found, reported to their owners and
 * not fixed yet. A mismatch matching one of these narrow signatures is counted and printed under
 * its name instead of failing the run (set {@code -Dpartita.diff.strict=true} to fail on them too).
 * Remove an entry once its owner has fixed it: its count then stays 0 and any regression fails.
 */
public enum KnownDivergence {

    /**
     * A read-modify-write destination (ADD [m],r; NOT [m]; SHL [m]; BTS [m]; XADD; CMPXCHG...)
     * faults on its read as a READ: the #PF error code lacks W. Hardware translates the destination
     * for writing first (error code 6/7). Fix: probe write access before reading (Mmu.probeWrite).
     */
    RMW_FAULTS_AS_READ("e1", "read-modify-write destination #PF reported as a read (W bit missing)"),

    /**
     * The same instruction kinds commit RFLAGS before their write faults: the host leaves RFLAGS
     * unchanged when the write of a read-modify-write instruction faults. Same fix as above.
     */
    FLAGS_COMMITTED_BEFORE_FAULTING_WRITE("e1", "RFLAGS updated although the destination write faulted"),

    /** IN/OUT/INS/OUTS at CPL3 with IOPL 0 and no I/O bitmap: #GP(0) must come before any memory access or REP count check. */
    IO_PERMISSION_AFTER_MEMORY("e2", "INS/OUTS access memory (or honour RCX=0) before the I/O permission #GP"),

    /**
     * In 64-bit mode CS/DS/ES/SS segment overrides are ignored: a non-canonical address faults
     * with #SS only when the base register is RSP/RBP (the default segment), whatever the prefix.
     */
    SEGMENT_OVERRIDE_IN_64BIT("e1", "64-bit mode: CS/DS/ES/SS override changes the #GP/#SS choice"),

    /** CMPS on this host accesses ES:[RDI] before DS:[RSI] (the fault reported is RDI's). */
    CMPS_OPERAND_ORDER("e1", "CMPS faults on DS:[RSI] first; this host accesses ES:[RDI] first"),

    /** 0F 0D (PREFETCH/PREFETCHW) with a register operand (mod = 11) is #UD. */
    PREFETCH_REGISTER_FORM("e1", "PREFETCHW with a register operand executes instead of #UD"),

    /** MOV from/to CR1, CR5-CR7, CR9-CR15 is #UD, which takes priority over the CPL-3 #GP. */
    MOV_CR_RESERVED_REGISTER("e2", "MOV with a reserved control register gives #GP at CPL3 instead of #UD"),

    /**
     * A read-modify-write access straddling into a faulting page reports CR2 = its last byte; the
     * hardware reports the first byte of the faulting page (Mmu.probeWrite translates lin+size-1).
     */
    SPLIT_WRITE_PROBE_CR2("e2", "straddling write probe reports CR2 = last byte instead of the page start"),

    /** A 16-byte XMM store whose first 8 bytes fault reports CR2 of the second half: the high qword is written first. */
    XMM_STORE_HIGH_HALF_FIRST("e1", "128-bit store faults at its upper 8 bytes first (CR2 = address + 8)");

    private final String owner;
    private final String summary;

    KnownDivergence(String owner, String summary) {
        this.owner = owner;
        this.summary = summary;
    }

    public String owner() {
        return owner;
    }

    public String summary() {
        return summary;
    }

    /** The known divergence this mismatch is, if it is exactly one of them. */
    public static Optional<KnownDivergence> classify(DiffCase c, Outcome host, Outcome emu) {
        byte[] insn = instructionAt(c, host.rip());
        int opcode = opcode(insn);
        boolean bothPf = host.kind() == Outcome.Kind.FAULT && emu.kind() == Outcome.Kind.FAULT
                && host.vector() == 14 && emu.vector() == 14 && host.rip() == emu.rip();
        if (bothPf && host.cr2() == emu.cr2() && (host.errorCode() & 2) != 0
                && ((host.errorCode() ^ emu.errorCode()) & ~3L) == 0) {
            // Same fault place; error code differs at most in W (and P, see Verdict), flags may
            // have been committed early: it is one of the two if nothing else differs.
            boolean wMissing = ((host.errorCode() ^ emu.errorCode()) & 2) != 0;
            Outcome patched = new Outcome(emu.kind(), emu.vector(), host.errorCode(), emu.cr2(), emu.rip(),
                    host.rflags(), emu.gpr(), emu.xmm(), emu.mxcsr(), emu.memDiff());
            if (Verdict.of(c, host, patched).kind() != Verdict.Kind.MISMATCH) {
                return Optional.of(wMissing ? RMW_FAULTS_AS_READ : FLAGS_COMMITTED_BEFORE_FAULTING_WRITE);
            }
        }
        boolean io = opcode >= 0x6C && opcode <= 0x6F || opcode >= 0xE4 && opcode <= 0xE7 || opcode >= 0xEC && opcode <= 0xEF;
        if (io && host.kind() == Outcome.Kind.FAULT && host.vector() == 13
                && (emu.kind() != Outcome.Kind.FAULT || emu.vector() != 13)) {
            return Optional.of(IO_PERMISSION_AFTER_MEMORY);
        }
        if (host.kind() == Outcome.Kind.FAULT && emu.kind() == Outcome.Kind.FAULT && host.rip() == emu.rip()
                && (host.vector() == 12 && emu.vector() == 13 || host.vector() == 13 && emu.vector() == 12)
                && hasPrefix(insn, 0x26, 0x2E, 0x36, 0x3E)) {
            return Optional.of(SEGMENT_OVERRIDE_IN_64BIT);
        }
        if ((opcode == 0xA6 || opcode == 0xA7) && host.kind() == Outcome.Kind.FAULT
                && emu.kind() == Outcome.Kind.FAULT && host.rip() == emu.rip()) {
            return Optional.of(CMPS_OPERAND_ORDER);
        }
        if (opcode == 0x0F0D && host.kind() == Outcome.Kind.FAULT && host.vector() == 6
                && (emu.kind() != Outcome.Kind.FAULT || emu.vector() != 6 || emu.rip() != host.rip())) {
            return Optional.of(PREFETCH_REGISTER_FORM);
        }
        if (bothPf && host.errorCode() == emu.errorCode() && (host.cr2() & 0xFFF) == 0 && emu.cr2() > host.cr2()
                && emu.cr2() - host.cr2() < 16 && (host.errorCode() & 2) != 0) {
            Outcome patched = new Outcome(emu.kind(), emu.vector(), emu.errorCode(), host.cr2(), emu.rip(),
                    emu.rflags(), emu.gpr(), emu.xmm(), emu.mxcsr(), emu.memDiff());
            if (Verdict.of(c, host, patched).kind() != Verdict.Kind.MISMATCH) {
                return Optional.of(SPLIT_WRITE_PROBE_CR2);
            }
        }
        if (bothPf && emu.cr2() == host.cr2() + 8 && host.errorCode() == emu.errorCode()
                && (opcode == 0x0F7F || opcode == 0x0F29 || opcode == 0x0F11)) {
            return Optional.of(XMM_STORE_HIGH_HALF_FIRST);
        }
        if ((opcode == 0x0F20 || opcode == 0x0F22) && host.kind() == Outcome.Kind.FAULT && host.vector() == 6
                && emu.kind() == Outcome.Kind.FAULT && emu.vector() == 13 && emu.rip() == host.rip()) {
            return Optional.of(MOV_CR_RESERVED_REGISTER);
        }
        return Optional.empty();
    }

    /** Up to 15 code bytes at {@code rip} (empty outside the case's code). */
    private static byte[] instructionAt(DiffCase c, long rip) {
        long off = rip - DiffLayout.CODE_BASE;
        if (off < 0 || off >= c.code().length) {
            return new byte[0];
        }
        int n = (int) Math.min(15, c.code().length - off);
        return java.util.Arrays.copyOfRange(c.code(), (int) off, (int) off + n);
    }

    private static boolean isLegacyPrefix(int b) {
        return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65 || b == 0x66 || b == 0x67
                || b == 0xF0 || b == 0xF2 || b == 0xF3;
    }

    /** The opcode after legacy prefixes and REX: one byte, or 0x0Fxx for the two-byte map; -1 if none. */
    private static int opcode(byte[] insn) {
        int i = 0;
        while (i < insn.length && isLegacyPrefix(insn[i] & 0xFF)) {
            i++;
        }
        while (i < insn.length && (insn[i] & 0xF0) == 0x40) {
            i++;
        }
        if (i >= insn.length) {
            return -1;
        }
        int b = insn[i] & 0xFF;
        if (b == 0x0F && i + 1 < insn.length) {
            return 0x0F00 | (insn[i + 1] & 0xFF);
        }
        return b;
    }

    private static boolean hasPrefix(byte[] insn, int... prefixes) {
        for (int i = 0; i < insn.length && isLegacyPrefix(insn[i] & 0xFF); i++) {
            for (int p : prefixes) {
                if ((insn[i] & 0xFF) == p) {
                    return true;
                }
            }
        }
        return false;
    }
}
