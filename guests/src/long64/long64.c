/*
 * long64: long mode at CPL0 (ELF; lib/entry64.S enters long mode from the 32-bit boot state).
 *   arith 1-19     64-bit ALU and flags, 128-bit MUL/IMUL/DIV/IDIV (MUL also against a schoolbook product
 *                  computed from 32-bit halves), double shifts, BSWAP, BT, 32-bit writes zero-extending
 *   riprel 20-22   RIP-relative LEA and loads against absolute addresses
 *   cx16 23-27     CPUID CX16, CMPXCHG16B success and failure
 *   string 28-33   REP MOVSQ / STOSQ / SCASQ with 64-bit RCX, REP STOSB with a 32-bit address size
 *   msr 34-41      EFER.LME|LMA, GS_BASE/KERNEL_GS_BASE with SWAPGS round trip, FS_BASE, TSC_AUX if RDTSCP
 *   cpuid 42-45    vendor, leaf 1 family, extended leaf LM bit
 *   mmio 46-50     test device at 0xD0000000: magic, 64-bit scratch register, ~v register, unclaimed offset;
 *                  skipped when the magic is missing (exit 0x7E at the end if everything else passed)
 *   pf 51-59       #PF on an unmapped address in another PML4 slot, handled by a 4-level walk from CR3
 *                  that allocates the missing tables and maps the page; retried write and read
 *   apic 60-67     xAPIC at 0xFEE00000: APIC_BASE MSR, version, periodic timer counting down, IRR latch,
 *                  N ticks with STI/HLT and EOI, ISR clear afterwards
 *   tsc 68-70      RDTSC monotonic, CPUID TSC bit
 */
#include "rt.h"
#include "x86.h"

#define ALU_FLAGS(insn, a, b, res, fl) \
    __asm__ volatile(insn " %3, %0\n\tpushfq\n\tpopq %1" : "=r"(res), "=r"(fl) : "0"(a), "r"(b) : "cc")

typedef struct { uint64_t lo, hi; } u128;

/* 64 x 64 -> 128 from four 32 x 32 -> 64 partial products, independently of MUL r/m64. */
static u128 mul_schoolbook(uint64_t a, uint64_t b) {
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    u128 r = { (mid << 32) | (uint32_t)p00, p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32) };
    return r;
}

static u128 mul_insn(uint64_t a, uint64_t b) {
    u128 r;
    __asm__("mulq %3" : "=a"(r.lo), "=d"(r.hi) : "a"(a), "r"(b) : "cc");
    return r;
}

static void check_arith(void) {
    uint64_t r, f;
    rt_section("arith");
    ALU_FLAGS("addq", OPAQUE(0xFFFFFFFFFFFFFFFFull), 1ull, r, f);
    CHECK_EQ(1, r, 0);
    CHECK_EQ(2, f & EFLAGS_STATUS, EFLAGS_CF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF);
    ALU_FLAGS("addq", OPAQUE(0x7FFFFFFFFFFFFFFFull), 1ull, r, f);
    CHECK_EQ(3, f & EFLAGS_STATUS, EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF);

    u128 p = mul_insn(OPAQUE(0xFFFFFFFFFFFFFFFFull), 0xFFFFFFFFFFFFFFFFull);
    CHECK_EQ(4, p.hi, 0xFFFFFFFFFFFFFFFEull);
    CHECK_EQ(5, p.lo, 1);
    uint64_t a = OPAQUE(0x0123456789ABCDEFull), b = OPAQUE(0xFEDCBA9876543210ull);
    p = mul_insn(a, b);
    u128 q = mul_schoolbook(a, b);
    CHECK_EQ(6, p.hi ^ q.hi, 0);
    CHECK_EQ(7, p.lo ^ q.lo, 0);
    CHECK_EQ(8, p.hi, 0x0121FA00AD77D742ull);

    int64_t slo, shi;
    __asm__("imulq %3" : "=a"(slo), "=d"(shi) : "a"(OPAQUE(-2ll)), "r"(3ll) : "cc");
    CHECK_EQ(9, (uint64_t)slo & (uint64_t)shi, (uint64_t)-6ll);   /* RDX:RAX = -6 */

    uint64_t lo = 0, hi = OPAQUE(1ull);                           /* 2^64 / 3 */
    __asm__("divq %2" : "+a"(lo), "+d"(hi) : "r"(3ull) : "cc");
    CHECK_EQ(10, lo, 0x5555555555555555ull);
    CHECK_EQ(11, hi, 1);
    lo = OPAQUE(0xF21F494C589C0000ull); hi = ~0ull;               /* -10^18 / 7 */
    __asm__("idivq %2" : "+a"(lo), "+d"(hi) : "r"(7ull) : "cc");
    CHECK_EQ(12, lo, 0xFE04782F7A5F6DB7ull);                      /* -142857142857142857 */
    CHECK_EQ(13, hi, ~0ull);                                      /* remainder -1 */

    r = OPAQUE(0x0123456789ABCDEFull);
    __asm__("shldq $8, %1, %0" : "+r"(r) : "r"(b) : "cc");
    CHECK_EQ(14, r, 0x23456789ABCDEFFEull);
    __asm__("shrdq $8, %1, %0" : "+r"(r) : "r"(OPAQUE(0x1ull)) : "cc");
    CHECK_EQ(15, r, 0x0123456789ABCDEFull);
    __asm__("bswapq %0" : "+r"(r));
    CHECK_EQ(16, r, 0xEFCDAB8967452301ull);

    uint64_t bits = OPAQUE(1ull << 40), cf;
    __asm__("btq $40, %1\n\tsbbq %0, %0" : "=r"(cf) : "r"(bits) : "cc");
    uint64_t top;
    __asm__("bsrq %1, %0" : "=r"(top) : "r"(OPAQUE(0x8000000000000001ull)) : "cc");
    CHECK_EQ(17, (cf & 0xFF) << 8 | top, 0xFF00 | 63);

    r = OPAQUE(~0ull);
    __asm__("addl $0, %k0" : "+r"(r) : : "cc");                   /* 32-bit write clears bits 63:32 */
    CHECK_EQ(18, r, 0x00000000FFFFFFFFull);
    int64_t sx;
    __asm__("movslq %k1, %0" : "=r"(sx) : "r"(OPAQUE(0x80000000ull)));
    CHECK_EQ(19, (uint64_t)sx, 0xFFFFFFFF80000000ull);
    rt_ok();
}

static volatile uint64_t rip_target = 0x52495052454C4154ull;   /* "TALERPIR" */

static void check_riprel(void) {
    uint64_t via_rip, absolute, value;
    rt_section("riprel");
    __asm__("leaq rip_target(%%rip), %0\n\tmovabsq $rip_target, %1\n\tmovq rip_target(%%rip), %2"
            : "=r"(via_rip), "=r"(absolute), "=r"(value));
    CHECK_EQ(20, via_rip, absolute);
    CHECK_EQ(21, value, 0x52495052454C4154ull);
    uint64_t here, label;
    __asm__("leaq 0(%%rip), %0\n1:\n\tleaq 1b, %1" : "=r"(here), "=r"(label));
    CHECK_EQ(22, here, label);                     /* RIP-relative base is the next instruction */
    rt_ok();
}

static void check_cmpxchg16b(void) {
    static volatile uint64_t m[2] __attribute__((aligned(16)));
    uint32_t id[4];
    uint64_t lo, hi, f;
    rt_section("cx16");
    cpuid(1, 0, id);
    CHECK_VAL(23, (id[2] & (1u << 13)) != 0, id[2]);          /* CPUID.1:ECX.CX16 */
    m[0] = 0x1111111111111111ull;
    m[1] = 0x2222222222222222ull;
    lo = m[0]; hi = m[1];
    __asm__ volatile("lock cmpxchg16b %2\n\tpushfq\n\tpopq %3" : "+a"(lo), "+d"(hi), "+m"(*m), "=r"(f)
                     : "b"(0xAAAAAAAAAAAAAAAAull), "c"(0xBBBBBBBBBBBBBBBBull) : "cc", "memory");
    CHECK_EQ(24, f & EFLAGS_ZF, EFLAGS_ZF);
    CHECK_EQ(25, m[0] ^ m[1], 0xAAAAAAAAAAAAAAAAull ^ 0xBBBBBBBBBBBBBBBBull);
    lo = 1; hi = 2;
    __asm__ volatile("lock cmpxchg16b %2\n\tpushfq\n\tpopq %3" : "+a"(lo), "+d"(hi), "+m"(*m), "=r"(f)
                     : "b"(0ull), "c"(0ull) : "cc", "memory");
    CHECK_EQ(26, f & EFLAGS_ZF, 0);
    CHECK_EQ(27, lo ^ hi ^ m[0], 0xBBBBBBBBBBBBBBBBull);      /* failed: RDX:RAX = memory, memory kept */
    rt_ok();
}

static void check_strings(void) {
    static uint64_t a[64], b[72];
    rt_section("string");
    for (int i = 0; i < 64; i++) a[i] = 0x0101010101010101ull * (uint64_t)i;
    void *si = a, *di = b;
    uint64_t cx = OPAQUE(64ull);
    __asm__ volatile("rep movsq" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ(28, cx, 0);
    CHECK_EQ(29, (uintptr_t)di - (uintptr_t)b, 512);
    CHECK_EQ(30, b[63], 0x3F3F3F3F3F3F3F3Full);
    di = &b[64]; cx = 8;
    __asm__ volatile("rep stosq" : "+D"(di), "+c"(cx) : "a"(0x5A5A5A5A5A5A5A5Aull) : "memory");
    di = b; cx = 72;
    __asm__ volatile("repne scasq" : "+D"(di), "+c"(cx) : "a"(0x5A5A5A5A5A5A5A5Aull) : "memory", "cc");
    CHECK_EQ(31, cx, 72 - 65);                     /* first match is element 64 */
    /* address-size prefix 0x67: the count is ECX, so only the low 32 bits (4) count */
    b[0] = 0;
    di = b; cx = 0xFFFFFFFF00000004ull;
    __asm__ volatile("addr32 rep stosb" : "+D"(di), "+c"(cx) : "a"(0xEE) : "memory");
    CHECK_EQ(32, b[0], 0x00000000EEEEEEEEull);
    CHECK_EQ(33, (uintptr_t)di - (uintptr_t)b, 4);   /* ECX = 4 of RCX 0xFFFFFFFF00000004 */
    rt_ok();
}

static void check_msrs(void) {
    static volatile uint64_t gs_a[2] = { 0xAAAA0001ull, 0 }, gs_b[2] = { 0xBBBB0002ull, 0 };
    static volatile uint64_t fs_area[2] = { 0, 0xF5F5F5F5ull };
    uint64_t v;
    rt_section("msr");
    CHECK_EQ(34, rdmsr(MSR_EFER) & (EFER_LME | EFER_LMA), EFER_LME | EFER_LMA);
    wrmsr(MSR_GS_BASE, (uintptr_t)gs_a);
    wrmsr(MSR_KERNEL_GS_BASE, (uintptr_t)gs_b);
    __asm__ volatile("movq %%gs:0, %0" : "=r"(v));
    CHECK_EQ(35, v, 0xAAAA0001ull);
    __asm__ volatile("swapgs\n\tmovq %%gs:0, %0" : "=r"(v) : : "memory");
    CHECK_EQ(36, v, 0xBBBB0002ull);
    CHECK_EQ(37, rdmsr(MSR_GS_BASE), (uintptr_t)gs_b);
    CHECK_EQ(38, rdmsr(MSR_KERNEL_GS_BASE), (uintptr_t)gs_a);
    __asm__ volatile("swapgs" ::: "memory");
    CHECK_EQ(39, rdmsr(MSR_GS_BASE), (uintptr_t)gs_a);
    wrmsr(MSR_FS_BASE, (uintptr_t)fs_area);
    __asm__ volatile("movq %%fs:8, %0" : "=r"(v));
    CHECK_EQ(40, v, 0xF5F5F5F5ull);
    uint32_t id[4];
    cpuid(0x80000001u, 0, id);
    if (id[3] & (1u << 27)) {                      /* RDTSCP: IA32_TSC_AUX round trip */
        wrmsr(0xC0000103u, 0x2A);
        uint32_t aux, tlo, thi;
        __asm__ volatile("rdtscp" : "=a"(tlo), "=d"(thi), "=c"(aux));
        CHECK_EQ(41, aux, 0x2A);
    } else {
        rt_puts("(no rdtscp) ");
    }
    rt_ok();
}

static void check_cpuid(void) {
    uint32_t r[4];
    char vendor[13];
    rt_section("cpuid");
    cpuid(0, 0, r);
    CHECK_VAL(42, r[0] >= 1, r[0]);
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    int printable = 1;
    for (int i = 0; i < 12; i++) printable &= vendor[i] > 0x20 && vendor[i] < 0x7F;
    CHECK(43, printable);
    rt_puts(vendor);
    rt_putc(' ');
    cpuid(1, 0, r);
    CHECK_VAL(44, ((r[0] >> 8) & 0xF) != 0, r[0]);
    cpuid(0x80000000u, 0, r);
    uint32_t max_ext = r[0];
    cpuid(0x80000001u, 0, r);
    CHECK_VAL(45, max_ext >= 0x80000001u && (r[3] & (1u << 29)) != 0, (uint64_t)max_ext << 32 | r[3]);   /* LM */
    rt_ok();
}

#define TEST_DEV 0xD0000000ull
static int mmio_absent;

static void check_mmio(void) {
    rt_section("mmio");
    uint32_t magic = mmio_read32(TEST_DEV);
    if (magic != 0x54524150u) {                    /* "PART" */
        rt_puts("mmio device absent (read ");
        rt_puthex(magic, 8);
        rt_puts(")\n");
        mmio_absent = 1;
        return;
    }
    CHECK_EQ(46, mmio_read64(TEST_DEV + 8), 0);    /* initial scratch value */
    mmio_write64(TEST_DEV + 8, 0x0123456789ABCDEFull);
    CHECK_EQ(47, mmio_read64(TEST_DEV + 8), 0x0123456789ABCDEFull);
    mmio_write64(TEST_DEV + 8, 0xFEDCBA9876543210ull);
    CHECK_EQ(48, mmio_read64(TEST_DEV + 8), 0xFEDCBA9876543210ull);
    mmio_write32(TEST_DEV + 0x10, 0x12345678u);
    CHECK_EQ(49, mmio_read32(TEST_DEV + 0x14), 0xEDCBA987u);
    CHECK_EQ(50, mmio_read32(TEST_DEV + 0x20), 0xFFFFFFFFu);
    rt_ok();
}

/* ---- page fault with a 4-level walk --------------------------------------------------------------- */

#define PTE_P 0x001ull
#define PTE_W 0x002ull
#define PTE_PS 0x080ull
#define PTE_ADDR 0x000FFFFFFFFFF000ull
#define FAULT_VA 0x0000008000000000ull             /* PML4 slot 1: nothing mapped there */

static uint64_t table_pool[8][512] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_c[4096] __attribute__((aligned(4096)));
static volatile uint64_t pf_count, pf_cr2, pf_error, tables_allocated;

static uint64_t *next_level(uint64_t *entry) {
    if (!(*entry & PTE_P)) {
        if (tables_allocated == 8) rt_fail(59, "page table pool exhausted");
        uint64_t *t = table_pool[tables_allocated++];
        memset(t, 0, 4096);
        *entry = (uintptr_t)t | PTE_P | PTE_W;
    }
    return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR);
}

static void page_fault(struct rt_frame *f) {
    uint64_t va = read_cr2();
    pf_count++;
    pf_cr2 = va;
    pf_error = f->error;
    if ((va & ~0x1FFFFFull) != FAULT_VA) {
        rt_puts("\nunexpected #PF at ");
        rt_puthex(va, 16);
        rt_exit(EXIT_UNEXPECTED);
    }
    uint64_t *pml4 = (uint64_t *)(read_cr3() & PTE_ADDR);
    uint64_t *pdpt = next_level(&pml4[(va >> 39) & 511]);
    uint64_t *pd = next_level(&pdpt[(va >> 30) & 511]);
    uint64_t *pt = next_level(&pd[(va >> 21) & 511]);
    uint8_t *frame = ((va >> 12) & 511) == 0 ? page_b : page_c;
    pt[(va >> 12) & 511] = (uintptr_t)frame | PTE_P | PTE_W;
    invlpg(va);
}

static void check_page_fault(void) {
    rt_section("pf");
    rt_set_handler(14, page_fault, 0);
    *(volatile uint64_t *)(FAULT_VA + 0x128) = 0xF00DF00DF00DF00Dull;
    CHECK_EQ(51, pf_count, 1);
    CHECK_EQ(52, pf_cr2, FAULT_VA + 0x128);
    CHECK_EQ(53, pf_error, 0x2);                   /* write, not present, supervisor */
    CHECK_EQ(54, tables_allocated, 3);             /* PDPT, PD, PT */
    CHECK_EQ(55, *(volatile uint64_t *)(page_b + 0x128), 0xF00DF00DF00DF00Dull);
    *(volatile uint64_t *)(page_c + 0x30) = 0x0C0FFEE00C0FFEE0ull;
    uint64_t v = *(volatile uint64_t *)(FAULT_VA + 0x1030);
    CHECK_EQ(56, pf_count, 2);
    CHECK_EQ(57, pf_error, 0x0);                   /* read, not present */
    CHECK_EQ(58, tables_allocated, 3);             /* walk found the tables of the first fault */
    CHECK_EQ(59, v, 0x0C0FFEE00C0FFEE0ull);
    rt_ok();
}

/* ---- local APIC timer ----------------------------------------------------------------------------- */

#define LAPIC 0xFEE00000ull
#define LAPIC_VERSION  0x030
#define LAPIC_EOI      0x0B0
#define LAPIC_SVR      0x0F0
#define LAPIC_ISR      0x100
#define LAPIC_IRR      0x200
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3E0
#define TIMER_VECTOR 0x40
#define TICKS_WANTED 5

static volatile uint32_t ticks, tick_bad;

static uint32_t lapic_read(uint32_t reg) { return mmio_read32(LAPIC + reg); }
static void lapic_write(uint32_t reg, uint32_t v) { mmio_write32(LAPIC + reg, v); }

static void timer_tick(struct rt_frame *f) {
    ticks++;
    if (f->cs != 0x18) tick_bad++;
    lapic_write(LAPIC_EOI, 0);
}

static void check_apic_timer(void) {
    rt_section("apic");
    uint64_t base = rdmsr(MSR_APIC_BASE);
    CHECK_EQ(60, base & 0xFFFFFF900ull, 0xFEE00900ull);   /* base, global enable (bit 11), BSP (bit 8) */
    uint32_t version = lapic_read(LAPIC_VERSION) & 0xFF;
    CHECK_VAL(61, version >= 0x10 && version <= 0x15, version);         /* integrated APIC */
    rt_set_handler(TIMER_VECTOR, timer_tick, 0);
    lapic_write(LAPIC_SVR, 0x1FF);                         /* software enable, spurious vector 0xFF */
    lapic_write(LAPIC_TIMER_DIV, 0x3);                     /* divide by 16 */
    lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR | (1u << 17));   /* periodic, not masked */
    lapic_write(LAPIC_TIMER_INIT, 62500);                  /* 1 ms at a 1 GHz APIC clock */

    uint32_t c0 = lapic_read(LAPIC_TIMER_CUR), c1 = c0;
    for (uint32_t i = 0; i < 1000000 && c1 == c0; i++) c1 = lapic_read(LAPIC_TIMER_CUR);
    CHECK_VAL(62, c0 <= 62500 && c1 != c0, (uint64_t)c0 << 32 | c1);
    uint32_t irr = 0;
    for (uint32_t i = 0; i < 1000000 && !irr; i++)
        irr = lapic_read(LAPIC_IRR + 0x10 * (TIMER_VECTOR / 32)) & (1u << (TIMER_VECTOR % 32));
    CHECK(63, irr != 0);                                   /* expired with IF = 0: pending in IRR */

    for (uint32_t wakeups = 0; ticks < TICKS_WANTED && wakeups < 1000; wakeups++) {
        sti_hlt();
        cli();
    }
    lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR | (1u << 16));   /* masked */
    lapic_write(LAPIC_TIMER_INIT, 0);
    CHECK_VAL(64, ticks >= TICKS_WANTED, ticks);
    CHECK_EQ(65, tick_bad, 0);
    CHECK_EQ(66, lapic_read(LAPIC_ISR + 0x10 * (TIMER_VECTOR / 32)) & (1u << (TIMER_VECTOR % 32)), 0);
    CHECK_EQ(67, lapic_read(LAPIC_TIMER_INIT), 0);
    rt_ok();
}

static void check_tsc(void) {
    uint32_t r[4];
    rt_section("tsc");
    uint64_t t0 = rdtsc(), t1 = rdtsc(), t2 = rdtsc();
    CHECK(68, t0 < t1 && t1 < t2);
    volatile uint64_t sink = 0;
    for (int i = 0; i < 1000; i++) sink += (uint64_t)i;
    CHECK(69, rdtsc() > t2);
    cpuid(1, 0, r);
    CHECK_VAL(70, (r[3] & (1u << 4)) != 0, r[3]);
    rt_ok();
}

int guest_main(void) {
    rt_puts("long64 guest\n");
    check_arith();
    check_riprel();
    check_strings();
    check_msrs();
    check_cpuid();
    check_mmio();
    check_page_fault();
    check_apic_timer();
    check_tsc();
    check_cmpxchg16b();   /* last: KVM's instruction emulator (all CPL0 code on PVM hosts) lacks it */
    return mmio_absent ? EXIT_MMIO_ABSENT : EXIT_PASS;
}
