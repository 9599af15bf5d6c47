package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;

import java.util.BitSet;

/**
 * The processor sets of the TLB flush and IPI hypercalls, parsed into the virtual processor
 * indices they name.
 * <ul>
 *   <li>The simple forms: a 64-bit mask, bit n = VP n.</li>
 *   <li>The Ex forms' HV_VP_SET: format u64 (0 = sparse 4K banks, 1 = all processors), valid bank
 *       mask u64, then one u64 per set bit of the mask, lowest bank first: bank b's bit n is
 *       VP 64b + n. The banks are the call's variable header, whose size the control value gives
 *       in 8-byte units and which must hold every bank.</li>
 * </ul>
 * Indices at or above the partition's processor count are reported through {@link #outside()}.
 *
 * @param vps     the processors named that exist, or all of them
 * @param outside whether the set named a processor the partition does not have
 */
record ProcessorSet(BitSet vps, boolean outside) {
    /** HV_GENERIC_SET_SPARSE_4K. */
    static final long FORMAT_SPARSE_4K = 0;
    /** HV_GENERIC_SET_ALL. */
    static final long FORMAT_ALL = 1;

    ProcessorSet {
        vps = (BitSet) vps.clone();
    }

    @Override
    public BitSet vps() {
        return (BitSet) vps.clone();
    }

    /** Every processor of a partition with {@code count} processors. */
    static ProcessorSet all(int count) {
        BitSet b = new BitSet();
        b.set(0, count);
        return new ProcessorSet(b, false);
    }

    /** The processors of a 64-bit mask. */
    static ProcessorSet ofMask(long mask, int count) {
        BitSet b = BitSet.valueOf(new long[] {mask});
        boolean outside = b.length() > count;
        b.clear(count, Math.max(count, b.length()));
        return new ProcessorSet(b, outside);
    }

    /** The outcome of reading an HV_VP_SET. */
    sealed interface Parsed {
        record Ok(ProcessorSet set, int qwords) implements Parsed {
        }

        record Rejected(int status, String why) implements Parsed {
        }
    }

    /**
     * Reads an HV_VP_SET at {@code gpa} (already checked to be RAM for {@code 16 + 8 * variableQwords}
     * bytes). {@code variableQwords} is the call's variable header size; the banks must fit in it.
     * Statuses: {@link HvStatus#INVALID_PARAMETER} for an unknown format;
     * {@link HvStatus#INVALID_HYPERCALL_INPUT} when the variable header is smaller than the banks.
     */
    static Parsed read(GuestMemory memory, long gpa, int variableQwords, int count) {
        long format = memory.readU64(gpa);
        long validBanks = memory.readU64(gpa + 8);
        if (format == FORMAT_ALL) {
            return new Parsed.Ok(all(count), 2);
        }
        if (format != FORMAT_SPARSE_4K) {
            return new Parsed.Rejected(HvStatus.INVALID_PARAMETER, "processor set format " + format);
        }
        int banks = Long.bitCount(validBanks);
        if (banks > variableQwords) {
            return new Parsed.Rejected(HvStatus.INVALID_HYPERCALL_INPUT, "processor set with " + banks
                    + " banks in a variable header of " + variableQwords + " qwords");
        }
        BitSet b = new BitSet();
        boolean outside = false;
        long at = gpa + 16;
        for (int bank = 0; bank < 64; bank++) {
            if ((validBanks & (1L << bank)) == 0) {
                continue;
            }
            long bits = memory.readU64(at);
            at += 8;
            for (long rest = bits; rest != 0; rest &= rest - 1) {
                int vp = bank * 64 + Long.numberOfTrailingZeros(rest);
                if (vp < count) {
                    b.set(vp);
                } else {
                    outside = true;
                }
            }
        }
        return new Parsed.Ok(new ProcessorSet(b, outside), 2 + banks);
    }
}
