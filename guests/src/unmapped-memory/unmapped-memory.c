/*
 * unmapped-memory (negative): reads the u32 at GPA 0x70000000 (nothing is mapped between RAM end and the
 * MMIO test device), writes 0x12345678 there and reads it again, and prints both values. Paging is off.
 * Exit code: 0x00 if both reads returned all ones (open bus: Partita's expected behaviour), 0x10 if both
 * returned zero (QEMU's behaviour), 0x11 for anything else, in particular if the write was kept.
 * A host that refuses the access instead stops the partition with a report; the guest then never exits.
 */
#include "rt.h"
#include "x86.h"

#define UNMAPPED_GPA 0x70000000u

int guest_main(void) {
    rt_puts("unmapped-memory guest: touching GPA 0x70000000\n");
    uint32_t first = mmio_read32(UNMAPPED_GPA);
    rt_puts("read ");
    rt_puthex(first, 8);
    rt_putc('\n');
    mmio_write32(UNMAPPED_GPA, 0x12345678u);
    uint32_t second = mmio_read32(UNMAPPED_GPA);
    rt_puts("read after write ");
    rt_puthex(second, 8);
    rt_putc('\n');
    if (first == 0xFFFFFFFFu && second == 0xFFFFFFFFu) return 0x00;
    if (first == 0 && second == 0) return 0x10;
    return 0x11;
}
