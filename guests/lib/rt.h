/*
 * Shared runtime of the 32-bit and 64-bit test guests: console on port 0xE9, exit on port 0xF4,
 * checks that exit with their own number, and an IDT whose vectors dispatch to C handlers.
 *
 * Exit codes (value written to port 0xF4, see guests/README.md):
 *   0            all checks passed
 *   1..0x7D      number of the first failed check
 *   0x7E         only the MMIO test device was absent (every other check passed)
 *   0x7F         unexpected exception or interrupt
 */
#ifndef GUESTS_RT_H
#define GUESTS_RT_H

#include <stdint.h>
#include <stddef.h>

#define PORT_CONSOLE 0xE9
#define PORT_EXIT    0xF4

#define EXIT_PASS          0x00
#define EXIT_MMIO_ABSENT   0x7E
#define EXIT_UNEXPECTED    0x7F

void rt_putc(char c);
void rt_puts(const char *s);
/* Prints v as 0x followed by exactly `digits` hex digits. */
void rt_puthex(uint64_t v, int digits);
void rt_putdec(uint32_t v);
/* Prints "[name] " at the start of a group of checks; rt_ok() ends the line with "ok". */
void rt_section(const char *name);
void rt_ok(void);

__attribute__((noreturn)) void rt_exit(uint32_t code);
__attribute__((noreturn)) void rt_fail(int check, const char *what);
__attribute__((noreturn)) void rt_fail_eq(int check, const char *what, uint64_t actual, uint64_t expected);
__attribute__((noreturn)) void rt_fail_value(int check, const char *what, uint64_t value);

/* Check number n (1..0x7D): on failure print what failed and exit with n. */
#define CHECK(n, cond) do { if (!(cond)) rt_fail((n), #cond); } while (0)
/* Like CHECK, and prints `value` (what the condition was about) on failure. */
#define CHECK_VAL(n, cond, value) do { if (!(cond)) rt_fail_value((n), #cond, (uint64_t)(value)); } while (0)
#define CHECK_EQ(n, actual, expected) do {                                            \
        uint64_t actual_ = (uint64_t)(actual), expected_ = (uint64_t)(expected);     \
        if (actual_ != expected_) rt_fail_eq((n), #actual, actual_, expected_);       \
    } while (0)

/* The guest's checks; returns its exit code (0 when everything passed). */
int guest_main(void);

/* ---- interrupts ---------------------------------------------------------------------------- */

/* Register state saved by the vector stubs (rt_isr32.S / rt_isr64.S); handlers may change it. */
#ifdef __x86_64__
struct rt_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
    uint64_t vector, error;
    uint64_t ip, cs, flags, sp, ss;   /* pushed by the CPU (sp/ss always in 64-bit mode) */
};
#else
struct rt_frame {
    uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;   /* pushal order */
    uint32_t vector, error;
    uint32_t ip, cs, flags;           /* pushed by the CPU */
    uint32_t sp, ss;                  /* only present when the CPU changed privilege level */
};
#endif

typedef void (*rt_handler)(struct rt_frame *frame);

/* Installs h for vector vec; dpl 3 lets CPL3 code reach the gate with INT n. */
void rt_set_handler(int vec, rt_handler h, int dpl);
/* Number of PIC-range (0x20..0x2F) or spurious (0xFF) interrupts that arrived with no handler. */
extern volatile uint32_t rt_stray_interrupts;

/* Set up by the entry code before guest_main: PIC remapped to 0x20..0x2F and fully masked, IDT loaded. */
void rt_init(void);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
