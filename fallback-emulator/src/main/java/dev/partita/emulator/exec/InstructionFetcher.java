package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Decoder;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.emulator.mmu.PhysicalMemory;

/**
 * Instruction fetch through the decoded-instruction cache: finds the instruction at CS:RIP in the
 * per-physical-page {@link DecodeCache}, decoding it on a miss, and remembers the last code page
 * (its linear and physical page and slots) so that fall-through and branches within that page skip
 * the translation. Code outside RAM (which {@link PhysicalMemory#markCode} cannot watch) and
 * instructions that cross a page are decoded every time and not cached. A write to a cached code
 * page (reported by {@link PhysicalMemory}) drops its entries and the remembered page.
 *
 * <p>Owned by the vCPU thread; one per {@link Interpreter}.
 */
final class InstructionFetcher {
    private final CpuState cpu;
    private final Mmu mmu;
    private final PhysicalMemory physical;
    private final DecodeCache cache = new DecodeCache();
    private final Decoder decoder = new Decoder();
    private final byte[] fetchBuffer = new byte[Decoder.MAX_LENGTH];
    private final DecodedInsn scratch = new DecodedInsn();

    private long lastPage = -1;
    private long lastLinearPage = -1;
    private DecodedInsn[] lastSlots;
    private int lastGeneration;

    InstructionFetcher(CpuState cpu, Mmu mmu) {
        this.cpu = cpu;
        this.mmu = mmu;
        this.physical = mmu.memory();
        physical.setCodeWriteListener(page -> {
            cache.codeWritten(page);
            lastPage = -1;
            lastLinearPage = -1;
        });
    }

    /**
     * The decoded instruction at the new RIP when it lies in the code page the previous
     * instruction came from (fall-through or a branch within the page), or null to go through
     * {@link #fetch()}. Valid because the linear-to-physical mapping of that page can only change
     * through instructions that end the run slice (MOV CR3, INVLPG, mode changes), and writes to the
     * page bump the cache generation.
     */
    DecodedInsn nextInSamePage() {
        long rip = cpu.rip;
        boolean flat64 = cpu.longMode64;
        long lin = flat64 ? rip : (cpu.seg[SegReg.CS].base + rip) & 0xFFFF_FFFFL;
        if ((lin >>> 12) != lastLinearPage || lastGeneration != cache.generation) {
            return null;
        }
        DecodedInsn d = lastSlots[(int) (lin & 0xFFF)];
        if (d == null || d.mode != cpu.codeBits) {
            return null;
        }
        if (!flat64 && rip + d.length - 1 > cpu.seg[SegReg.CS].highLimit) {
            return null;
        }
        return d;
    }

    /** Decodes the bytes at a physical address without caching (diagnostics, test messages). */
    DecodedInsn fetchAt(long physical, int mode) {
        DecodedInsn d = new DecodedInsn();
        byte[] b = new byte[Decoder.MAX_LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) this.physical.read(physical + i, 1);
        }
        decoder.decode(b, 0, b.length, mode, d);
        return d;
    }

    /** Decodes (or finds in the cache) the instruction at CS:RIP. */
    DecodedInsn fetch() {
        long rip = cpu.rip;
        int mode = cpu.codeBits;
        long lin = mmu.codeLinear(rip, 1);
        long phys = mmu.translateCode(lin);
        long page = phys >>> 12;
        DecodedInsn[] slots;
        if (page == lastPage && lastGeneration == cache.generation) {
            slots = lastSlots;
        } else {
            slots = cache.get(page);
            if (slots == null) {
                if (!physical.markCode(phys)) {
                    lastLinearPage = -1;
                    return decodeUncached(lin, phys, mode);
                }
                slots = cache.getOrCreate(page);
            }
            lastPage = page;
            lastSlots = slots;
            lastGeneration = cache.generation;
        }
        lastLinearPage = lin >>> 12;
        int off = (int) (phys & 0xFFF);
        DecodedInsn d = slots[off];
        if (d == null || d.mode != mode) {
            d = new DecodedInsn();
            if (!decodeAt(lin, phys, mode, d)) {
                if (d.length > 0 && !cpu.longMode64) {
                    mmu.codeLinear(rip, d.length);
                }
                return d; // crosses a page: not cached
            }
            slots[off] = d;
        }
        if (!cpu.longMode64) {
            mmu.codeLinear(rip, d.length);
        }
        return d;
    }

    private DecodedInsn decodeUncached(long lin, long phys, int mode) {
        decodeAt(lin, phys, mode, scratch);
        if (!cpu.longMode64) {
            mmu.codeLinear(cpu.rip, scratch.length);
        }
        return scratch;
    }

    /** Decodes at {@code lin}/{@code phys}; returns false if the instruction crosses into the next page. */
    private boolean decodeAt(long lin, long phys, int mode, DecodedInsn out) {
        int inPage = (int) Math.min(Decoder.MAX_LENGTH, DecodeCache.PAGE_SIZE - (phys & 0xFFF));
        for (int i = 0; i < inPage; i++) {
            fetchBuffer[i] = (byte) physical.read(phys + i, 1);
        }
        int n = decoder.decode(fetchBuffer, 0, inPage, mode, out);
        if (n != Decoder.NEED_MORE_BYTES) {
            return true;
        }
        for (int i = inPage; i < Decoder.MAX_LENGTH; i++) {
            fetchBuffer[i] = (byte) mmu.fetchU8(lin + i);
            n = decoder.decode(fetchBuffer, 0, i + 1, mode, out);
            if (n != Decoder.NEED_MORE_BYTES) {
                return false;
            }
        }
        decoder.decode(fetchBuffer, 0, Decoder.MAX_LENGTH, mode, out);
        return false;
    }
}
