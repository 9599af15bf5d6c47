/*
 * Multiboot test guest: a kernel as people build them for QEMU's -kernel. It prints through COM1 (polled
 * 16550 at 0x3F8) what the boot loader handed over, then ends the run through the isa-debug-exit device
 * at port 0xF4 (QEMU's convention: the run's exit status is (value << 1) | 1).
 *
 * Console lines:
 *   mb: magic 2badb002 flags <hex>
 *   mb: cmdline <text>
 *   mb: mem lower <KiB> upper <KiB>
 *   mb: mmap <base hex> <length hex> <type>        (one per entry)
 *   mb: module <n> <string> size <bytes> sum <hex>  (sum: bytes added as unsigned 32-bit)
 *   mb: high-ram ok | mb: high-ram FAIL <address hex>  (a pattern written and read back at the top of RAM)
 *   mb: above-4g <base hex> ok | FAIL <offset hex>  (only when the map has RAM at or above 4 GiB and the command
 *                                                     line has no "no-paging": PAE paging maps the first 2 MiB
 *                                                     there, and a pattern is written and read back)
 *   mb: exit <value>
 * The value written to 0xF4 is the decimal after "exit=" in the command line (0 without one), or 0x7F when
 * the magic is wrong.
 */
#include <stdint.h>

#define COM1 0x3F8
#define EXIT_PORT 0xF4
#define LOADER_MAGIC 0x2BADB002u

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mb_module {
    uint32_t start, end, string, reserved;
};

struct __attribute__((packed)) mb_mmap_entry {
    uint32_t size;
    uint64_t base, length;
    uint32_t type;
};

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void putc_serial(char c) {
    for (int spins = 0; spins < 100000 && !(inb(COM1 + 5) & 0x20); spins++) {
    }
    outb(COM1, (uint8_t)c);
}

static void puts_serial(const char *s) {
    for (; *s; s++) {
        if (*s == '\n') {
            putc_serial('\r');
        }
        putc_serial(*s);
    }
}

static void puthex(uint64_t v) {
    char buf[17];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v & 0xF];
        v >>= 4;
    } while (v);
    while (n) {
        putc_serial(buf[--n]);
    }
}

static void putdec(uint32_t v) {
    char buf[11];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        putc_serial(buf[--n]);
    }
}

/* Whether word occurs in s. */
static int contains(const char *s, const char *word) {
    for (; *s; s++) {
        const char *a = s, *b = word;
        while (*b && *a == *b) {
            a++;
            b++;
        }
        if (!*b) {
            return 1;
        }
    }
    return 0;
}

/* The decimal after "exit=" in s, or 0. */
static uint32_t exit_value(const char *s) {
    for (; *s; s++) {
        if (s[0] == 'e' && s[1] == 'x' && s[2] == 'i' && s[3] == 't' && s[4] == '=') {
            uint32_t v = 0;
            for (s += 5; *s >= '0' && *s <= '9'; s++) {
                v = v * 10 + (uint32_t)(*s - '0');
            }
            return v;
        }
    }
    return 0;
}

/* PAE tables: the first GiB identity-mapped with 2 MiB pages, virtual 1 GiB mapped to physical `high`. */
static uint64_t pdpt[4] __attribute__((aligned(32)));
static uint64_t pd_low[512] __attribute__((aligned(4096)));
static uint64_t pd_high[512] __attribute__((aligned(4096)));
#define HIGH_WINDOW 0x40000000u

static void check_above_4g(uint64_t high) {
    for (uint32_t i = 0; i < 512; i++) {
        pd_low[i] = ((uint64_t)i << 21) | 0x83; /* present, writable, 2 MiB page */
    }
    pd_high[0] = high | 0x83;
    pdpt[0] = (uint32_t)(uintptr_t)pd_low | 1;
    pdpt[1] = (uint32_t)(uintptr_t)pd_high | 1;
    uint32_t cr0, cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 0x20u));
    __asm__ volatile("mov %0, %%cr3" : : "r"((uint32_t)(uintptr_t)pdpt) : "memory");
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | 0x80000000u) : "memory");

    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)HIGH_WINDOW;
    uint32_t bad = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < 0x80000; i += 0x101) {
        p[i] = i ^ 0x5A5A5A5Au;
    }
    for (uint32_t i = 0; i < 0x80000 && bad == 0xFFFFFFFFu; i += 0x101) {
        if (p[i] != (i ^ 0x5A5A5A5Au)) {
            bad = i * 4;
        }
    }
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
    puts_serial("mb: above-4g ");
    puthex(high);
    if (bad == 0xFFFFFFFFu) {
        puts_serial(" ok\n");
    } else {
        puts_serial(" FAIL ");
        puthex(bad);
        puts_serial("\n");
    }
}

static void finish(uint32_t value) {
    puts_serial("mb: exit ");
    putdec(value);
    puts_serial("\n");
    outl(EXIT_PORT, value);
}

void mb_main(uint32_t magic, const struct mb_info *info) {
    puts_serial("mb: magic ");
    puthex(magic);
    if (magic != LOADER_MAGIC) {
        puts_serial(" wrong\n");
        finish(0x7F);
        return;
    }
    puts_serial(" flags ");
    puthex(info->flags);
    puts_serial("\n");

    const char *cmdline = (info->flags & (1u << 2)) ? (const char *)(uintptr_t)info->cmdline : "";
    puts_serial("mb: cmdline ");
    puts_serial(cmdline);
    puts_serial("\n");

    if (info->flags & 1u) {
        puts_serial("mb: mem lower ");
        putdec(info->mem_lower);
        puts_serial(" upper ");
        putdec(info->mem_upper);
        puts_serial("\n");
    }

    uint32_t top = 0;
    uint64_t above = 0;
    if (info->flags & (1u << 6)) {
        uint32_t at = info->mmap_addr;
        while (at < info->mmap_addr + info->mmap_length) {
            const struct mb_mmap_entry *e = (const struct mb_mmap_entry *)(uintptr_t)at;
            puts_serial("mb: mmap ");
            puthex(e->base);
            puts_serial(" ");
            puthex(e->length);
            puts_serial(" ");
            putdec(e->type);
            puts_serial("\n");
            if (e->type == 1 && e->base + e->length <= 0x100000000ull && e->base + e->length > top) {
                top = (uint32_t)(e->base + e->length);
            }
            if (e->type == 1 && e->base >= 0x100000000ull && e->length >= 0x200000 && !above) {
                above = e->base;
            }
            at += e->size + 4;
        }
    }

    if (info->flags & (1u << 3)) {
        const struct mb_module *m = (const struct mb_module *)(uintptr_t)info->mods_addr;
        for (uint32_t i = 0; i < info->mods_count; i++) {
            uint32_t sum = 0;
            for (uint32_t p = m[i].start; p < m[i].end; p++) {
                sum += *(const volatile uint8_t *)(uintptr_t)p;
            }
            puts_serial("mb: module ");
            putdec(i);
            puts_serial(" ");
            puts_serial((const char *)(uintptr_t)m[i].string);
            puts_serial(" size ");
            putdec(m[i].end - m[i].start);
            puts_serial(" sum ");
            puthex(sum);
            puts_serial("\n");
        }
    }

    if (top >= 0x200000) {
        /* The last 64 KiB of RAM the map reports: write a pattern, read it back. */
        volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)(top - 0x10000);
        uint32_t bad = 0;
        for (uint32_t i = 0; i < 0x4000; i++) {
            p[i] = i * 2654435761u;
        }
        for (uint32_t i = 0; i < 0x4000 && !bad; i++) {
            if (p[i] != i * 2654435761u) {
                bad = (uint32_t)(uintptr_t)&p[i];
            }
        }
        if (bad) {
            puts_serial("mb: high-ram FAIL ");
            puthex(bad);
            puts_serial("\n");
        } else {
            puts_serial("mb: high-ram ok\n");
        }
    }

    if (above && !contains(cmdline, "no-paging")) {
        check_above_4g(above);
    }

    finish(exit_value(cmdline));
}
