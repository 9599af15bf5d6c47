package dev.partita.emulator.diff;

/**
 * The comparison of one case's host and emulator outcomes.
 *
 * @param kind          match, a difference only where the SDM leaves the result undefined, or a mismatch
 * @param undefinedBits for {@link Kind#UNDEFINED_ONLY}: the RFLAGS bits that differed
 * @param detail        what differed (empty for a match)
 */
public record Verdict(Kind kind, int undefinedBits, String detail) {

    /** Comparison result classes. */
    public enum Kind { MATCH, UNDEFINED_ONLY, MISMATCH, HOST_TIMEOUT }

    /** RFLAGS bits compared: CF PF AF ZF SF IF DF OF IOPL NT ID (not TF, RF, VM, AC, VIF, VIP). */
    public static final long COMPARED_FLAGS = 0x20_7ED5L;

    /** Linux x86-64 TASK_SIZE_MAX with 4-level paging: 2^47 minus one guard page. */
    static final long LINUX_TASK_SIZE_MAX = 0x7FFF_FFFF_F000L;

    /** Compares the emulator's outcome with the host's for case {@code c}. */
    public static Verdict of(DiffCase c, Outcome host, Outcome emu) {
        if (host.kind() == Outcome.Kind.TIMEOUT) {
            return new Verdict(Kind.HOST_TIMEOUT, 0, "host timed out");
        }
        StringBuilder d = new StringBuilder();
        if (host.kind() != emu.kind()) {
            d.append("outcome ").append(describe(host)).append(" vs ").append(describe(emu)).append("; ");
        } else if (host.kind() == Outcome.Kind.FAULT) {
            long errMask = -1;
            if (host.vector() == 14 && Long.compareUnsigned(host.cr2(), LINUX_TASK_SIZE_MAX) >= 0) {
                // Linux reports every user fault at or above TASK_SIZE_MAX (the kernel half and the
                // guard page just below 2^47) as a protection fault (P=1) to hide its page tables;
                // the hardware bit is not observable there.
                errMask = ~1L;
            }
            if (host.vector() != emu.vector() || ((host.errorCode() ^ emu.errorCode()) & errMask) != 0
                    || host.cr2() != emu.cr2()) {
                d.append("fault ").append(describe(host)).append(" vs ").append(describe(emu)).append("; ");
            }
        }
        if (host.rip() != emu.rip()) {
            d.append(String.format("rip %x vs %x; ", host.rip(), emu.rip()));
        }
        boolean hard = d.length() > 0;
        boolean stoppedElsewhere = host.kind() != emu.kind() || host.rip() != emu.rip()
                || host.vector() != emu.vector() || host.cr2() != emu.cr2();
        long flagDiff0 = (host.rflags() ^ emu.rflags()) & COMPARED_FLAGS;
        boolean randomTainted = c.family().equals("randbytes") && flagDiff0 != 0;
        if (hard && stoppedElsewhere
                && (c.undefinedResult(host.rip()) || c.undefinedResult(emu.rip()) || randomTainted)) {
            // An undefined result can flow into an address or a count: where the runs stopped may
            // then legitimately differ (an error-code difference at the same place still counts).
            hard = false;
        }
        StringBuilder soft = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (host.gpr()[i] != emu.gpr()[i]) {
                soft.append(String.format("%s %016x vs %016x; ", dev.partita.emulator.diff.asm.RegNames.q(i),
                        host.gpr()[i], emu.gpr()[i]));
            }
        }
        if (!java.util.Arrays.equals(host.memDiff(), emu.memDiff())) {
            soft.append("memory ").append(memText(host.memDiff())).append(" vs ").append(memText(emu.memDiff()))
                    .append("; ");
        }
        for (int i = 0; i < 32; i++) {
            if (host.xmm()[i] != emu.xmm()[i]) {
                soft.append(String.format("xmm%d.%s %016x vs %016x; ", i / 2, (i & 1) == 0 ? "lo" : "hi",
                        host.xmm()[i], emu.xmm()[i]));
            }
        }
        if (host.mxcsr() != emu.mxcsr()) {
            soft.append(String.format("mxcsr %x vs %x; ", host.mxcsr(), emu.mxcsr()));
        }
        long flagDiff = (host.rflags() ^ emu.rflags()) & COMPARED_FLAGS;
        String flagText = flagDiff == 0 ? "" : String.format("rflags %x vs %x (differ %s); ",
                host.rflags() & COMPARED_FLAGS, emu.rflags() & COMPARED_FLAGS, flagNames(flagDiff));
        boolean definedFlagDiff = (flagDiff & ~(long) c.undefinedFlags(host.rip())) != 0;
        String all = d.toString() + soft + flagText;
        boolean resultUndefined = c.undefinedResult(host.rip()) || (d.length() > 0 && !hard);
        if (d.length() > 0 && !hard) {
            definedFlagDiff = false; // stopped at different points: their flags are not comparable
        }
        if (c.family().equals("randbytes") && flagDiff != 0) {
            // Random forms are not tracked per instruction: once undefined flags differ, results
            // computed from them (LAHF, ADC, SETcc, CMOVcc...) may differ too.
            resultUndefined = true;
        }
        if (hard || definedFlagDiff || (soft.length() + d.length() > 0 && !resultUndefined)) {
            return new Verdict(Kind.MISMATCH, 0, all);
        }
        if (soft.length() + d.length() > 0 || flagDiff != 0) {
            return new Verdict(Kind.UNDEFINED_ONLY, (int) flagDiff, all);
        }
        return new Verdict(Kind.MATCH, 0, "");
    }

    static String describe(Outcome o) {
        return switch (o.kind()) {
            case DONE -> "completed";
            case TIMEOUT -> "timeout";
            case FAULT -> String.format("vector %d err %x cr2 %x", o.vector(), o.errorCode(), o.cr2());
        };
    }

    private static String memText(long[] diff) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < diff.length; i += 2) {
            sb.append(i == 0 ? "" : " ").append(String.format("+%x=%016x", diff[i], diff[i + 1]));
        }
        return sb.append(']').toString();
    }

    /** Names of the RFLAGS bits set in {@code bits}. */
    public static String flagNames(long bits) {
        String[] names = {"CF", "?1", "PF", "?3", "AF", "?5", "ZF", "SF", "TF", "IF", "DF", "OF", "IOPL", "IOPL", "NT",
            "?15", "RF", "VM", "AC", "VIF", "VIP", "ID"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((bits & (1L << i)) != 0 && !(i == 13 && (bits & (1L << 12)) != 0)) {
                sb.append(sb.length() == 0 ? "" : ",").append(names[i]);
            }
        }
        return sb.toString();
    }
}
