package dev.partita.hv.vp;

/**
 * One segment register (or TR/LDTR) with its hidden part, in Partita's canonical encoding:
 *
 * <ul>
 * <li>{@code limit}: the effective byte-granular limit (already scaled by G, as the CPU uses it:
 *     a 4 GiB flat segment has limit {@code 0xFFFFFFFF}).</li>
 * <li>{@code attributes}: the VMX "access rights" layout — bits 3:0 type, 4 S (code/data),
 *     6:5 DPL, 7 P, 12 AVL, 13 L (64-bit code), 14 D/B, 15 G, 16 unusable (null selector loaded
 *     in protected mode). Bits 8-11 and 17-31 are zero.</li>
 * </ul>
 *
 * @param selector   16-bit selector
 * @param base       64-bit base (upper half meaningful for FS, GS, TR, LDTR)
 * @param limit      effective limit (unsigned 32-bit)
 * @param attributes access rights, layout above
 */
public record SegmentRegister(int selector, long base, int limit, int attributes) {
    public static final int TYPE_MASK = 0xF;
    public static final int S = 1 << 4;
    public static final int DPL_SHIFT = 5;
    public static final int P = 1 << 7;
    public static final int AVL = 1 << 12;
    public static final int L = 1 << 13;
    public static final int DB = 1 << 14;
    public static final int G = 1 << 15;
    public static final int UNUSABLE = 1 << 16;

    /** Type of a read/write data segment, accessed. */
    public static final int TYPE_DATA_RW_ACCESSED = 0x3;
    /** Type of an execute/read code segment, accessed. */
    public static final int TYPE_CODE_XR_ACCESSED = 0xB;
    /** Type of a busy 32/64-bit TSS. */
    public static final int TYPE_TSS_BUSY = 0xB;
    /** Type of an LDT. */
    public static final int TYPE_LDT = 0x2;

    public SegmentRegister {
        if ((selector & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("segment selector out of range: 0x" + Integer.toHexString(selector));
        }
        if ((attributes & ~0x1F0FF) != 0) {
            throw new IllegalArgumentException("segment attributes have reserved bits: 0x" + Integer.toHexString(attributes));
        }
    }

    /** A real-mode data segment: base = selector * 16, limit 0xFFFF, present read/write data. */
    public static SegmentRegister realModeData(int selector) {
        return new SegmentRegister(selector, (long) selector << 4, 0xFFFF, P | S | TYPE_DATA_RW_ACCESSED);
    }

    /** A real-mode code segment: base = selector * 16, limit 0xFFFF, present execute/read code. */
    public static SegmentRegister realModeCode(int selector) {
        return new SegmentRegister(selector, (long) selector << 4, 0xFFFF, P | S | TYPE_CODE_XR_ACCESSED);
    }

    /** A flat 4 GiB 32-bit code segment (DPL 0). */
    public static SegmentRegister flat32Code(int selector) {
        return new SegmentRegister(selector, 0, 0xFFFFFFFF, P | S | TYPE_CODE_XR_ACCESSED | DB | G);
    }

    /** A flat 4 GiB 32-bit read/write data segment (DPL 0). */
    public static SegmentRegister flat32Data(int selector) {
        return new SegmentRegister(selector, 0, 0xFFFFFFFF, P | S | TYPE_DATA_RW_ACCESSED | DB | G);
    }

    /** The type field (bits 3:0). */
    public int type() {
        return attributes & TYPE_MASK;
    }

    /** The descriptor privilege level. */
    public int dpl() {
        return (attributes >>> DPL_SHIFT) & 3;
    }

    public boolean present() {
        return (attributes & P) != 0;
    }

    public boolean unusable() {
        return (attributes & UNUSABLE) != 0;
    }

    @Override
    public String toString() {
        return String.format("sel=%04x base=%016x limit=%08x attr=%05x", selector, base, limit, attributes);
    }
}
