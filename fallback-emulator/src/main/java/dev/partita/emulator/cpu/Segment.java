package dev.partita.emulator.cpu;

/**
 * One segment register with its hidden (descriptor-cache) part: selector, base, limit and access
 * rights. The attribute word uses the layout of descriptor bytes 5-6 shifted down, the same as
 * VMX/KVM's {@code kvm_segment} fields packed: bits 0-3 type, 4 S, 5-6 DPL, 7 P, 12 AVL, 13 L,
 * 14 D/B, 15 G, and bit 16 "unusable" (a null selector loaded in protected mode).
 *
 * <p>Derived values used on every memory access ({@link #lowLimit}, {@link #highLimit},
 * {@link #readable}, {@link #writable}) are recomputed by {@link #load}; always change the hidden
 * part through {@code load} so they stay consistent. Owned by the vCPU thread; not thread-safe.
 */
public final class Segment {

    /** Attribute bits. */
    public static final int ATTR_TYPE_MASK = 0xF;
    public static final int ATTR_ACCESSED = 0x1;
    /** Data: writable. Code: readable. */
    public static final int ATTR_RW = 0x2;
    /** Data: expand-down. Code: conforming. */
    public static final int ATTR_DC = 0x4;
    public static final int ATTR_CODE = 0x8;
    /** S: code/data (1) vs system (0). */
    public static final int ATTR_S = 0x10;
    public static final int ATTR_DPL_SHIFT = 5;
    public static final int ATTR_P = 0x80;
    public static final int ATTR_AVL = 0x1000;
    public static final int ATTR_L = 0x2000;
    public static final int ATTR_DB = 0x4000;
    public static final int ATTR_G = 0x8000;
    public static final int ATTR_UNUSABLE = 0x10000;

    /** Visible selector (16 bits). */
    public int selector;
    /** Base linear address (64 bits for FS/GS/LDTR/TR in long mode, else 32). */
    public long base;
    /** Effective byte-granular limit (granularity already applied), 32 bits unsigned. */
    public long limit;
    /** Access rights in the layout described above. */
    public int attributes;

    /** Lowest valid offset (0, or limit+1 for expand-down data segments). */
    public long lowLimit;
    /** Highest valid offset (inclusive). */
    public long highLimit;
    /** Reads are allowed (data segments, readable code). */
    public boolean readable;
    /** Writes are allowed (writable data segments). */
    public boolean writable;

    /** A segment register with an all-zero hidden part (call {@link #load} before use). */
    public Segment() {
    }

    /** Replace the whole hidden part and recompute the derived checks. */
    public void load(int selector, long base, long limit, int attributes) {
        this.selector = selector & 0xFFFF;
        this.base = base;
        this.limit = limit & 0xFFFF_FFFFL;
        this.attributes = attributes;
        recompute();
    }

    /** Real-mode / virtual-8086 load: base = selector * 16; limit and rights are kept (unreal mode). */
    public void loadReal(int selector) {
        this.selector = selector & 0xFFFF;
        this.base = (long) (selector & 0xFFFF) << 4;
        recompute();
    }

    /** Copy another segment's state. */
    public void copyFrom(Segment other) {
        selector = other.selector;
        base = other.base;
        limit = other.limit;
        attributes = other.attributes;
        recompute();
    }

    /** Recompute the derived fields after a direct change of {@link #attributes} or {@link #limit}. */
    public void recompute() {
        boolean usable = (attributes & ATTR_UNUSABLE) == 0 && (attributes & ATTR_P) != 0;
        boolean code = (attributes & ATTR_CODE) != 0;
        boolean s = (attributes & ATTR_S) != 0;
        if (!usable || !s) {
            readable = false;
            writable = false;
        } else if (code) {
            readable = (attributes & ATTR_RW) != 0;
            writable = false;
        } else {
            readable = true;
            writable = (attributes & ATTR_RW) != 0;
        }
        if (!code && s && (attributes & ATTR_DC) != 0) {
            lowLimit = limit + 1;
            highLimit = (attributes & ATTR_DB) != 0 ? 0xFFFF_FFFFL : 0xFFFFL;
        } else {
            lowLimit = 0;
            highLimit = limit;
        }
    }

    /** Descriptor privilege level. */
    public int dpl() {
        return (attributes >>> ATTR_DPL_SHIFT) & 3;
    }

    /** Whether the P bit is set and the segment is usable. */
    public boolean present() {
        return (attributes & ATTR_P) != 0 && (attributes & ATTR_UNUSABLE) == 0;
    }

    /** Whether the segment is marked unusable (null selector in protected mode). */
    public boolean unusable() {
        return (attributes & ATTR_UNUSABLE) != 0;
    }

    /** D/B bit: 32-bit default operand size (code) or 32-bit stack (SS). */
    public boolean big() {
        return (attributes & ATTR_DB) != 0;
    }

    /** L bit: 64-bit code segment. */
    public boolean longMode() {
        return (attributes & ATTR_L) != 0;
    }

    /** Type field (4 bits). */
    public int type() {
        return attributes & ATTR_TYPE_MASK;
    }

    /** Converts descriptor bytes (the high dword's bits 8-23) to the attribute layout. */
    public static int attributesFromDescriptorHigh(int high) {
        return (high >>> 8) & 0xF0FF;
    }

    /** The attribute word for a flat segment of the given kind. */
    public static int flatAttributes(boolean code, int dpl, boolean big, boolean longMode) {
        int a = ATTR_P | ATTR_S | ATTR_ACCESSED | ATTR_RW | ATTR_G | (dpl << ATTR_DPL_SHIFT);
        if (code) {
            a |= ATTR_CODE;
        }
        if (longMode) {
            a |= ATTR_L;
        } else if (big) {
            a |= ATTR_DB;
        }
        return a;
    }

    @Override
    public String toString() {
        return String.format("sel=%04x base=%x limit=%x attr=%05x", selector, base, limit, attributes);
    }
}
