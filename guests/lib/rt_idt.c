/* IDT shared by the 32-bit and 64-bit guests: every vector goes through a stub to rt_dispatch. */
#include "rt.h"
#include "x86.h"

#ifdef __x86_64__
#define KERNEL_CS 0x18
struct idt_gate { uint16_t off_lo, sel; uint8_t ist, attr; uint16_t off_mid; uint32_t off_hi, zero; };
#else
#define KERNEL_CS 0x08
struct idt_gate { uint16_t off_lo, sel; uint8_t zero, attr; uint16_t off_hi; };
#endif

struct __attribute__((packed)) table_ptr { uint16_t limit; uintptr_t base; };

extern const uintptr_t rt_isr_stubs[256];   /* rt_isr32.S / rt_isr64.S */

static struct idt_gate idt[256] __attribute__((aligned(16)));
static rt_handler handlers[256];
volatile uint32_t rt_stray_interrupts;

static void set_gate(int vec, uintptr_t target, int dpl) {
    struct idt_gate *g = &idt[vec];
    g->off_lo = (uint16_t)target;
    g->sel = KERNEL_CS;
    g->attr = (uint8_t)(0x8E | (dpl << 5));   /* present, interrupt gate (IF cleared on entry) */
#ifdef __x86_64__
    g->ist = 0;
    g->off_mid = (uint16_t)(target >> 16);
    g->off_hi = (uint32_t)(target >> 32);
    g->zero = 0;
#else
    g->zero = 0;
    g->off_hi = (uint16_t)(target >> 16);
#endif
}

void rt_set_handler(int vec, rt_handler h, int dpl) {
    handlers[vec & 0xFF] = h;
    set_gate(vec & 0xFF, rt_isr_stubs[vec & 0xFF], dpl);
}

/* Called by the common stub with the saved frame. */
void rt_dispatch(struct rt_frame *f) {
    rt_handler h = handlers[f->vector & 0xFF];
    if (h) {
        h(f);
        return;
    }
    if ((f->vector >= 0x20 && f->vector <= 0x2F) || f->vector == 0xFF) {
        rt_stray_interrupts++;   /* masked PIC lines can still deliver a spurious IRQ7/15 */
        return;
    }
    rt_puts("\nunexpected vector ");
    rt_puthex(f->vector, 2);
    rt_puts(" error ");
    rt_puthex(f->error, 8);
    rt_puts(" at ");
    rt_puthex(f->cs, 4);
    rt_putc(':');
    rt_puthex(f->ip, sizeof(uintptr_t) * 2);
    rt_puts(" cr2 ");
    rt_puthex(read_cr2(), sizeof(uintptr_t) * 2);
    rt_putc('\n');
    rt_exit(EXIT_UNEXPECTED);
}

/* 8259 pair: ICW1..ICW4 put the master at vectors 0x20-0x27 and the slave at 0x28-0x2F, then mask all. */
static void pic_remap_and_mask(void) {
    outb(0x20, 0x11); outb(0xA0, 0x11);   /* ICW1: edge, cascade, ICW4 follows */
    outb(0x21, 0x20); outb(0xA1, 0x28);   /* ICW2: vector bases */
    outb(0x21, 0x04); outb(0xA1, 0x02);   /* ICW3: slave on IRQ2 */
    outb(0x21, 0x01); outb(0xA1, 0x01);   /* ICW4: 8086 mode */
    outb(0x21, 0xFF); outb(0xA1, 0xFF);   /* OCW1: mask every line */
}

void rt_init(void) {
    pic_remap_and_mask();
    for (int v = 0; v < 256; v++) set_gate(v, rt_isr_stubs[v], 0);
    struct table_ptr p = { sizeof(idt) - 1, (uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(p));
}
