package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.RemoteTlbFlush;

/**
 * HvFlushVirtualAddressSpace (0x0002), HvFlushVirtualAddressList (0x0003, rep) and their Ex forms
 * (0x0013, 0x0014) with the processor set in the variable header. Input block (memory, 8-byte
 * aligned): address space u64 @0, flags u64 @8, then the processor mask u64 (simple forms) or an
 * HV_VP_SET ({@link ProcessorSet}), then for the list forms one u64 GVA range per rep.
 *
 * <p>Every named processor's cached translations are invalidated completely (more than a GVA list
 * asks for, which the TLFS allows), through the backend's {@link RemoteTlbFlush}, before the call
 * returns. Statuses: {@link HvStatus#INVALID_HYPERCALL_INPUT} for a fast call, reserved or nested
 * control bits, a rep count on a simple call or none on a list call, a rep start beyond the count,
 * a variable header on a simple form or one too small for its banks; {@link HvStatus#INVALID_ALIGNMENT}
 * for an unaligned input GPA or a block outside RAM; {@link HvStatus#INVALID_PARAMETER} for unknown
 * flags or processor set format. Processors the partition does not have are ignored (they have no
 * translations to drop).
 *
 * <p>Stateless apart from its collaborators; called on the calling processor's thread, concurrently on several.
 */
final class TlbFlushHypercalls {
    /** HV_FLUSH_ALL_PROCESSORS: ignore the processor set. */
    static final long FLUSH_ALL_PROCESSORS = 1;
    /** HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES, HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY, HV_FLUSH_USE_EXTENDED_RANGE_FORMAT. */
    static final long KNOWN_FLAGS = FLUSH_ALL_PROCESSORS | 2 | 4 | 8;

    private final GuestMemory memory;
    private final int vpCount;
    private final RemoteTlbFlush flush;

    TlbFlushHypercalls(GuestMemory memory, int vpCount, RemoteTlbFlush flush) {
        this.memory = memory;
        this.vpCount = vpCount;
        this.flush = flush;
    }

    static boolean handles(int code) {
        return code == HypercallControl.CALL_FLUSH_SPACE || code == HypercallControl.CALL_FLUSH_LIST
                || code == HypercallControl.CALL_FLUSH_SPACE_EX || code == HypercallControl.CALL_FLUSH_LIST_EX;
    }

    HypercallOutcome call(HypercallControl control, long inputGpa) {
        int code = control.callCode();
        boolean ex = code == HypercallControl.CALL_FLUSH_SPACE_EX || code == HypercallControl.CALL_FLUSH_LIST_EX;
        boolean list = code == HypercallControl.CALL_FLUSH_LIST || code == HypercallControl.CALL_FLUSH_LIST_EX;
        if (control.fast() || control.reservedOrNested()) {
            return HypercallOutcome.refused(HvStatus.INVALID_HYPERCALL_INPUT, "fast call or reserved control bits");
        }
        int varhead = control.variableHeaderQwords();
        if (!ex && varhead != 0) {
            return HypercallOutcome.refused(HvStatus.INVALID_HYPERCALL_INPUT, "variable header on a simple flush");
        }
        int reps = control.repCount();
        if (list ? reps == 0 || control.repStart() >= reps : reps != 0 || control.repStart() != 0) {
            return HypercallOutcome.refused(HvStatus.INVALID_HYPERCALL_INPUT, "rep count " + reps + ", start " + control.repStart());
        }
        long size = 16 + (ex ? 16 + 8L * varhead : 8) + (list ? 8L * reps : 0);
        if ((inputGpa & 7) != 0 || !memory.isRam(inputGpa, size)) {
            return HypercallOutcome.refused(HvStatus.INVALID_ALIGNMENT, "input of " + size + " bytes at 0x" + Long.toHexString(inputGpa)
                    + " unaligned or not RAM");
        }
        long flags = memory.readU64(inputGpa + 8);
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return HypercallOutcome.refused(HvStatus.INVALID_PARAMETER, "flush flags 0x" + Long.toHexString(flags));
        }
        ProcessorSet set;
        if (ex) {
            switch (ProcessorSet.read(memory, inputGpa + 16, varhead, vpCount)) {
                case ProcessorSet.Parsed.Rejected r -> {
                    return HypercallOutcome.refused(r.status(), r.why());
                }
                case ProcessorSet.Parsed.Ok ok -> set = ok.set();
            }
        } else {
            set = ProcessorSet.ofMask(memory.readU64(inputGpa + 16), vpCount);
        }
        if ((flags & FLUSH_ALL_PROCESSORS) != 0) {
            set = ProcessorSet.all(vpCount);
        }
        flush.flush(set.vps());
        return HypercallOutcome.success(list ? reps : 0);
    }
}
