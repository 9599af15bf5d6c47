package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;

/**
 * HvCallSendSyntheticClusterIpi (0x000B; fast: RDX = vector u32 | target VTL u8 << 32, R8 = processor
 * mask; memory: the same 16 bytes) and HvCallSendSyntheticClusterIpiEx (0x0015; memory: vector u32,
 * target VTL u8, 3 reserved bytes, then an HV_VP_SET whose banks are the variable header). Raises the
 * vector as a fixed interrupt on every named processor.
 *
 * <p>Statuses: {@link HvStatus#INVALID_HYPERCALL_INPUT} for reserved, nested or rep control bits, a
 * variable header on the simple form or a fast Ex call; {@link HvStatus#INVALID_ALIGNMENT} for an
 * unaligned input GPA or a block outside RAM; {@link HvStatus#INVALID_PARAMETER} for a vector outside
 * 16-255, a non-zero VTL or reserved byte, an unknown set format, or a processor the partition does
 * not have (nothing is sent then).
 *
 * <p>Called on the calling processor's thread, concurrently on several.
 */
final class IpiHypercalls {
    private final GuestMemory memory;
    private final int vpCount;
    private final InterruptSink interrupts;

    IpiHypercalls(GuestMemory memory, int vpCount, InterruptSink interrupts) {
        this.memory = memory;
        this.vpCount = vpCount;
        this.interrupts = interrupts;
    }

    static boolean handles(int code) {
        return code == HypercallControl.CALL_SEND_IPI || code == HypercallControl.CALL_SEND_IPI_EX;
    }

    HypercallOutcome call(HypercallControl control, long input, long output) {
        boolean ex = control.callCode() == HypercallControl.CALL_SEND_IPI_EX;
        int varhead = control.variableHeaderQwords();
        if (control.reservedOrNested() || control.repCount() != 0 || control.repStart() != 0 || (!ex && varhead != 0)
                || (ex && control.fast())) {
            return refused(HvStatus.INVALID_HYPERCALL_INPUT, "control 0x" + Long.toHexString(control.raw()));
        }
        long head;
        ProcessorSet set;
        if (!ex && control.fast()) {
            head = input;
            set = ProcessorSet.ofMask(output, vpCount);
        } else {
            long size = ex ? 24 + 8L * varhead : 16;
            if ((input & 7) != 0 || !memory.isRam(input, size)) {
                return refused(HvStatus.INVALID_ALIGNMENT, "input of " + size + " bytes at 0x" + Long.toHexString(input) + " unaligned or not RAM");
            }
            head = memory.readU64(input);
            if (ex) {
                switch (ProcessorSet.read(memory, input + 8, varhead, vpCount)) {
                    case ProcessorSet.Parsed.Rejected r -> {
                        return refused(r.status(), r.why());
                    }
                    case ProcessorSet.Parsed.Ok ok -> set = ok.set();
                }
            } else {
                set = ProcessorSet.ofMask(memory.readU64(input + 8), vpCount);
            }
        }
        long vector = head & 0xFFFF_FFFFL;
        if (vector < HvMsr.SINT_FIRST_VALID_VECTOR || vector > 0xFF) {
            return refused(HvStatus.INVALID_PARAMETER, "IPI vector " + vector);
        }
        if ((head >>> 32) != 0) {
            return refused(HvStatus.INVALID_PARAMETER, "IPI target VTL or reserved bytes 0x" + Long.toHexString(head >>> 32));
        }
        if (set.outside()) {
            return refused(HvStatus.INVALID_PARAMETER, "IPI to a processor the partition does not have");
        }
        var vps = set.vps();
        for (int vp = vps.nextSetBit(0); vp >= 0; vp = vps.nextSetBit(vp + 1)) {
            interrupts.raise(vp, (int) vector);
        }
        return HypercallOutcome.success(0);
    }

    private static HypercallOutcome refused(int status, String why) {
        return HypercallOutcome.refused(status, why);
    }
}
