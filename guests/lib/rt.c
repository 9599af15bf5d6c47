/* Console, checks and exit shared by the 32-bit and 64-bit guests. */
#include "rt.h"
#include "x86.h"

void rt_putc(char c) { outb(PORT_CONSOLE, (uint8_t)c); }

void rt_puts(const char *s) {
    while (*s) rt_putc(*s++);
}

void rt_puthex(uint64_t v, int digits) {
    rt_putc('0');
    rt_putc('x');
    for (int i = digits - 1; i >= 0; i--) {
        unsigned d = (unsigned)(v >> (4 * i)) & 0xF;
        rt_putc((char)(d < 10 ? '0' + d : 'a' + d - 10));
    }
}

void rt_putdec(uint32_t v) {
    char buf[11];
    int n = 0;
    do {
        /* Division by a constant: compiled to a multiply, so no libgcc helper is needed on -m32. */
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) rt_putc(buf[--n]);
}

void rt_section(const char *name) {
    rt_putc('[');
    rt_puts(name);
    rt_puts("] ");
}

void rt_ok(void) { rt_puts("ok\n"); }

void rt_exit(uint32_t code) {
    rt_puts("exit ");
    rt_puthex(code, 2);
    rt_putc('\n');
    outl(PORT_EXIT, code);
    for (;;) __asm__ volatile("cli; hlt");
}

void rt_fail(int check, const char *what) {
    rt_puts("\nFAIL check ");
    rt_putdec((uint32_t)check);
    rt_puts(": ");
    rt_puts(what);
    rt_putc('\n');
    rt_exit((uint32_t)check);
}

void rt_fail_eq(int check, const char *what, uint64_t actual, uint64_t expected) {
    rt_puts("\nFAIL check ");
    rt_putdec((uint32_t)check);
    rt_puts(": ");
    rt_puts(what);
    rt_puts(" = ");
    rt_puthex(actual, 16);
    rt_puts(", expected ");
    rt_puthex(expected, 16);
    rt_putc('\n');
    rt_exit((uint32_t)check);
}

void rt_fail_value(int check, const char *what, uint64_t value) {
    rt_puts("\nFAIL check ");
    rt_putdec((uint32_t)check);
    rt_puts(": ");
    rt_puts(what);
    rt_puts(" (value ");
    rt_puthex(value, 16);
    rt_puts(")\n");
    rt_exit((uint32_t)check);
}

void *memset(void *d, int c, size_t n) {
    unsigned char *p = d;
    while (n--) *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n) {
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q) return *p < *q ? -1 : 1;
    return 0;
}
