package dev.partita.hv.host;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The tiny guests of the functional test: hand-assembled machine code (the assembly is in the comments;
 * nothing is assembled at run time) plus the 64-bit page tables, GDT and TSS the CPL3 guest needs.
 * Everything lives in the first 64 KiB of guest RAM; {@link #install(MemorySegment)} writes it.
 *
 * <pre>
 * GPA 0x1000  real-mode code (CS=0): the OUT loop and the CPL0 counted loop
 * GPA 0x2000  PML4    [0] -> 0x3000, user/write/present
 * GPA 0x3000  PDPT    [0] -> 0x4000, user/write/present
 * GPA 0x4000  PD      [0] -> 2 MiB page at 0, user/write/present (identity map of the first 2 MiB)
 * GPA 0x5000  GDT     0x08 kernel code64, 0x10 kernel data, 0x18 user code64 (DPL3), 0x20 user data (DPL3),
 *                     0x28 64-bit TSS (16 bytes)
 * GPA 0x6000  TSS     104 bytes of zeros (no stack switches are ever needed)
 * GPA 0x8000  64-bit code, run at CPL3 and at CPL0: the long-mode counted loop
 * </pre>
 */
public final class ProbeGuestImage {

    /** Guest RAM the image needs (one region from GPA 0). */
    public static final long RAM_SIZE = 2L << 20;

    /** Real mode, CS=0: {@code out 0x10, al} forever (every OUT is one exit). */
    public static final long OUT_LOOP_IP = 0x1000;
    /** Real mode, CS=0: decrements ECX to zero, then {@code out 0x11, al}. */
    public static final long CPL0_LOOP_IP = 0x1010;
    /** 64-bit mode (run at CPL3, and at CPL0 for comparison): decrements RCX to zero, then {@code out 0x11, al}. */
    public static final long LONG_MODE_LOOP_RIP = 0x8000;

    /** Port written by every iteration of the OUT loop. */
    public static final int PORT_PING = 0x10;
    /** Port written when a counted loop finishes. */
    public static final int PORT_DONE = 0x11;
    /** Guest instructions per loop iteration (dec + jnz). */
    public static final int INSTRUCTIONS_PER_ITERATION = 2;

    public static final long PML4 = 0x2000;
    public static final long PDPT = 0x3000;
    public static final long PD = 0x4000;
    public static final long GDT = 0x5000;
    /** GDT limit: 5 descriptors of 8 bytes plus the 16-byte TSS descriptor, minus one. */
    public static final int GDT_LIMIT = 0x37;
    public static final long TSS = 0x6000;
    public static final int TSS_LIMIT = 0x67;

    public static final int SELECTOR_KERNEL_CODE = 0x08;
    public static final int SELECTOR_KERNEL_DATA = 0x10;
    public static final int SELECTOR_USER_CODE = 0x18 | 3;
    public static final int SELECTOR_USER_DATA = 0x20 | 3;
    public static final int SELECTOR_TSS = 0x28;

    private static final byte[] REAL_MODE_CODE = {
        // 0x1000 ping:
        (byte) 0xE6, 0x10,             // out 0x10, al
        (byte) 0xEB, (byte) 0xFC,      // jmp ping                  (rel8 -4)
        (byte) 0xF4, (byte) 0xF4, (byte) 0xF4, (byte) 0xF4, // hlt padding up to 0x1010
        (byte) 0xF4, (byte) 0xF4, (byte) 0xF4, (byte) 0xF4,
        (byte) 0xF4, (byte) 0xF4, (byte) 0xF4, (byte) 0xF4,
        // 0x1010 count0:
        0x66, 0x49,                    // dec ecx                   (operand-size prefix: 32-bit ECX)
        0x75, (byte) 0xFC,             // jnz count0                (rel8 -4)
        (byte) 0xE6, 0x11,             // out 0x11, al              (done)
        (byte) 0xF4,                   // hlt                       (never reached: the host stops at the OUT)
    };

    private static final byte[] LONG_MODE_USER_CODE = {
        // 0x8000 count3:
        0x48, (byte) 0xFF, (byte) 0xC9, // dec rcx
        0x75, (byte) 0xFB,              // jnz count3               (rel8 -5)
        (byte) 0xE6, 0x11,              // out 0x11, al             (allowed at CPL3 because RFLAGS.IOPL=3)
        (byte) 0xEB, (byte) 0xFE,       // jmp $                    (never reached: the host stops at the OUT)
    };

    /** Page-table entry bits. */
    private static final long PTE_PRESENT = 1, PTE_WRITE = 2, PTE_USER = 4, PDE_LARGE = 0x80;

    /** Flat descriptors (base 0, limit 4 GiB): access byte and flags as in the Intel SDM descriptor format. */
    private static final long[] GDT_ENTRIES = {
        0,                        // 0x00 null
        0x00AF_9A00_0000_FFFFL,   // 0x08 code, DPL0, L=1 (64-bit), present
        0x00CF_9200_0000_FFFFL,   // 0x10 data, DPL0, writable, D/B=1
        0x00AF_FA00_0000_FFFFL,   // 0x18 code, DPL3, L=1
        0x00CF_F200_0000_FFFFL,   // 0x20 data, DPL3
    };

    private ProbeGuestImage() {
    }

    /** Writes code, page tables, GDT and TSS into guest RAM starting at GPA 0 (needs {@link #RAM_SIZE}). */
    public static void install(MemorySegment ram) {
        if (ram.byteSize() < RAM_SIZE) {
            throw new IllegalArgumentException("probe guest needs " + RAM_SIZE + " bytes of RAM, got " + ram.byteSize());
        }
        MemorySegment.copy(MemorySegment.ofArray(REAL_MODE_CODE), 0, ram, OUT_LOOP_IP, REAL_MODE_CODE.length);
        MemorySegment.copy(MemorySegment.ofArray(LONG_MODE_USER_CODE), 0, ram, LONG_MODE_LOOP_RIP, LONG_MODE_USER_CODE.length);
        long table = PTE_PRESENT | PTE_WRITE | PTE_USER;
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, PML4, PDPT | table);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, PDPT, PD | table);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, PD, table | PDE_LARGE); // 2 MiB page at GPA 0
        for (int i = 0; i < GDT_ENTRIES.length; i++) {
            ram.set(ValueLayout.JAVA_LONG_UNALIGNED, GDT + 8L * i, GDT_ENTRIES[i]);
        }
        // 64-bit TSS descriptor at 0x28: limit 0x67, base TSS, type 0xB (busy 64-bit TSS), present.
        long tssLow = TSS_LIMIT | ((TSS & 0xFFFFFF) << 16) | (0x8BL << 40) | (((TSS >>> 24) & 0xFF) << 56);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, GDT + SELECTOR_TSS, tssLow);
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, GDT + SELECTOR_TSS + 8, TSS >>> 32);
    }
}
