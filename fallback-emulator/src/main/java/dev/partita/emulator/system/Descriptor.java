package dev.partita.emulator.system;

import dev.partita.emulator.cpu.Segment;

/**
 * A decoded 8-byte segment or gate descriptor (the raw low and high dwords plus, for 16-byte
 * system descriptors in long mode, the upper 32 bits of the base/offset). A mutable scratch
 * object reused by the vCPU thread to avoid allocation.
 */
final class Descriptor {
    /** Low dword (limit 15:0, base 15:0 / gate offset 15:0, selector). */
    int low;
    /** High dword (base 23:16, type, S, DPL, P, limit 19:16, AVL, L, D/B, G, base 31:24). */
    int high;
    /** Upper 32 bits of a 16-byte descriptor (base or offset 63:32); 0 otherwise. */
    int upper;
    /** Linear address the descriptor was read from (to set the accessed/busy bit). */
    long address;

    int type() {
        return (high >>> 8) & 0xF;
    }

    boolean system() {
        return (high & (1 << 12)) == 0;
    }

    boolean code() {
        return !system() && (high & (1 << 11)) != 0;
    }

    boolean conforming() {
        return code() && (high & (1 << 10)) != 0;
    }

    boolean readable() {
        return !code() || (high & (1 << 9)) != 0;
    }

    boolean writableData() {
        return !system() && !code() && (high & (1 << 9)) != 0;
    }

    int dpl() {
        return (high >>> 13) & 3;
    }

    boolean present() {
        return (high & (1 << 15)) != 0;
    }

    boolean longCode() {
        return (high & (1 << 21)) != 0;
    }

    boolean big() {
        return (high & (1 << 22)) != 0;
    }

    long base() {
        long b = ((low >>> 16) & 0xFFFFL) | ((long) (high & 0xFF) << 16) | ((long) (high >>> 24 & 0xFF) << 24);
        return b | ((long) upper << 32 & (system() ? -1L : 0));
    }

    long limit() {
        long l = (low & 0xFFFFL) | (high & 0xF_0000L);
        if ((high & (1 << 23)) != 0) {
            l = (l << 12) | 0xFFF;
        }
        return l;
    }

    int attributes() {
        return Segment.attributesFromDescriptorHigh(high);
    }

    /** Gate: target selector. */
    int gateSelector() {
        return (low >>> 16) & 0xFFFF;
    }

    /** Gate: target offset (16-byte gates include bits 63:32). */
    long gateOffset(boolean wide) {
        long o = (low & 0xFFFFL) | (high & 0xFFFF_0000L);
        return wide ? o | ((long) upper << 32) : o;
    }

    /** Gate: IST index (long-mode interrupt/trap gates). */
    int ist() {
        return high & 7;
    }

    /** Loads the hidden part of {@code s} from this descriptor. */
    void loadInto(Segment s, int selector) {
        s.load(selector, base(), limit(), attributes());
    }
}
