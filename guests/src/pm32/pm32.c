/*
 * pm32: 32-bit protected-mode checks (ELF, entered like all ELF guests in flat 32-bit protected mode).
 *   arith 1-24     ALU results and flags, mul/div, shifts, rotates, double shifts, bit ops, bswap
 *   cond 25-29     SETcc for all 16 conditions (hand-worked masks and masks derived from EFLAGS), CMOVcc
 *   atomic 30-39   XCHG, CMPXCHG, CMPXCHG8B (both outcomes), XADD, LOCK ADD
 *   string 40-46   REP MOVSD, REP STOSD, REPE CMPSD, REPNE SCASD, backwards MOVSB
 *   paging 50-63   2-level 4 KiB paging, alias mapping, #PF handler checking CR2 and the error code that maps
 *                  the page (not-present write, not-present read, write to a read-only page with CR0.WP) and retries
 *   traps 65-71    #DE and #UD caught at the faulting instruction and resumed, INT n through the IDT
 *   cpuid 75-78    vendor string, leaf 1 family, CX8 feature bit
 */
#include "rt.h"
#include "x86.h"

/* ---- arithmetic ------------------------------------------------------------------------------- */

#define ALU_FLAGS(insn, a, b, res, fl) \
    __asm__ volatile(insn " %3, %0\n\tpushfl\n\tpopl %1" : "=r"(res), "=r"(fl) : "0"(a), "ri"(b) : "cc")

static void check_arith(void) {
    uint32_t r, f, hi, lo;
    rt_section("arith");

    ALU_FLAGS("addl", OPAQUE(0xFFFFFFFFu), 1u, r, f);
    CHECK_EQ(1, r, 0);
    CHECK_EQ(2, f & EFLAGS_STATUS, EFLAGS_CF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF);
    ALU_FLAGS("addl", OPAQUE(0x7FFFFFFFu), 1u, r, f);
    CHECK_EQ(3, f & EFLAGS_STATUS, EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF);
    ALU_FLAGS("subl", OPAQUE(0u), 1u, r, f);
    CHECK_EQ(4, r, 0xFFFFFFFFu);
    CHECK_EQ(5, f & EFLAGS_STATUS, EFLAGS_SF | EFLAGS_AF | EFLAGS_PF | EFLAGS_CF);
    ALU_FLAGS("cmpl", OPAQUE(5u), 7u, r, f);        /* 5 - 7 = 0xFFFFFFFE, parity of 0xFE odd */
    CHECK_EQ(6, f & EFLAGS_STATUS, EFLAGS_SF | EFLAGS_AF | EFLAGS_CF);

    /* 64-bit addition from 32-bit halves: 0x1_FFFFFFFF + 0x0_00000001 = 0x2_00000000 */
    lo = OPAQUE(0xFFFFFFFFu);
    hi = OPAQUE(1u);
    __asm__("addl %2, %0\n\tadcl %3, %1" : "+r"(lo), "+r"(hi) : "ri"(1u), "ri"(0u) : "cc");
    CHECK_EQ(7, ((uint64_t)hi << 32) | lo, 0x200000000ull);
    /* and back: 0x2_00000000 - 0x0_00000001 = 0x1_FFFFFFFF */
    __asm__("subl %2, %0\n\tsbbl %3, %1" : "+r"(lo), "+r"(hi) : "ri"(1u), "ri"(0u) : "cc");
    CHECK_EQ(8, ((uint64_t)hi << 32) | lo, 0x1FFFFFFFFull);

    int32_t s = OPAQUE(12345);
    int32_t p;
    __asm__("imull $-7, %1, %0" : "=r"(p) : "r"(s) : "cc");
    CHECK_EQ(9, (uint32_t)p, 0xFFFEAE71u);            /* -86415 */

    lo = OPAQUE(0xDEADBEEFu);
    __asm__("mull %2" : "+a"(lo), "=d"(hi) : "r"(0x10u) : "cc");
    CHECK_EQ(10, ((uint64_t)hi << 32) | lo, 0xDEADBEEF0ull);

    lo = 0; hi = OPAQUE(1u);                           /* 2^32 / 65537 = 65535 rem 1 */
    __asm__("divl %2" : "+a"(lo), "+d"(hi) : "r"(0x10001u) : "cc");
    CHECK_EQ(11, lo, 65535);
    CHECK_EQ(12, hi, 1);
    lo = OPAQUE(0xFFF0BDC0u); hi = 0xFFFFFFFFu;        /* -1000000 / 7 = -142857 rem -1 */
    __asm__("idivl %2" : "+a"(lo), "+d"(hi) : "r"(7u) : "cc");
    CHECK_EQ(13, lo, 0xFFFDD1F7u);
    CHECK_EQ(14, hi, 0xFFFFFFFFu);

    r = OPAQUE(0x80000000u);
    __asm__("sarl $31, %0" : "+r"(r) : : "cc");
    CHECK_EQ(15, r, 0xFFFFFFFFu);
    r = OPAQUE(0x12345678u);
    __asm__("roll $8, %0" : "+r"(r) : : "cc");
    CHECK_EQ(16, r, 0x34567812u);
    __asm__("rorl $12, %0" : "+r"(r) : : "cc");
    CHECK_EQ(17, r, 0x81234567u);
    r = OPAQUE(0x80000000u);
    __asm__("stc\n\trcll $1, %0\n\tpushfl\n\tpopl %1" : "+r"(r), "=r"(f) : : "cc");
    CHECK_EQ(18, r | ((f & EFLAGS_CF) << 8), 0x00000101u);   /* bit 31 went to CF, old CF to bit 0 */

    uint32_t d = OPAQUE(0x11223344u), src = OPAQUE(0xAABBCCDDu);
    __asm__("shldl $8, %1, %0" : "+r"(d) : "r"(src) : "cc");
    CHECK_EQ(19, d, 0x223344AAu);
    d = OPAQUE(0x11223344u);
    __asm__("shrdl %%cl, %1, %0" : "+r"(d) : "r"(src), "c"(8) : "cc");
    CHECK_EQ(20, d, 0xDD112233u);

    /* bit tests: CF collects the old bits, the register the changes */
    uint32_t bits = OPAQUE(0x0000F00Fu), cfs = 0;
    __asm__("btl $12, %0\n\tadcl %1, %1\n\t"
            "btsl $4, %0\n\tadcl %1, %1\n\t"
            "btrl $15, %0\n\tadcl %1, %1\n\t"
            "btcl $0, %0\n\tadcl %1, %1"
            : "+r"(bits), "+r"(cfs) : : "cc");
    CHECK_EQ(21, (bits << 4) | cfs, (0x0000701Eu << 4) | 0xB);   /* CF sequence 1,0,1,1 */

    uint32_t fwd, rev;
    __asm__("bsfl %2, %0\n\tbsrl %2, %1" : "=&r"(fwd), "=&r"(rev) : "r"(OPAQUE(0x00012000u)) : "cc");
    CHECK_EQ(22, (fwd << 8) | rev, (13u << 8) | 16u);
    r = OPAQUE(0x12345678u);
    __asm__("bswapl %0" : "+r"(r));
    CHECK_EQ(23, r, 0x78563412u);
    int32_t sx;
    uint32_t zx;
    __asm__("movsbl %2, %0\n\tmovzwl %3, %1" : "=&r"(sx), "=&r"(zx) : "q"((uint8_t)OPAQUE(0x80u)), "r"((uint16_t)OPAQUE(0xBEEFu)));
    CHECK_EQ(24, (uint32_t)sx ^ zx, 0xFFFFFF80u ^ 0x0000BEEFu);
    rt_ok();
}

/* ---- conditions --------------------------------------------------------------------------------- */

/* All 16 SETcc results of "cmp b, a" (flags of a - b) as a mask, bit n = condition code n. */
static uint32_t setcc_mask(uint32_t a, uint32_t b, uint32_t *flags) {
    uint8_t c[16];
    uint32_t f;
    __asm__ volatile("cmpl %18, %17\n\t"
            "seto %0\n\tsetno %1\n\tsetb %2\n\tsetae %3\n\tsete %4\n\tsetne %5\n\tsetbe %6\n\tseta %7\n\t"
            "sets %8\n\tsetns %9\n\tsetp %10\n\tsetnp %11\n\tsetl %12\n\tsetge %13\n\tsetle %14\n\tsetg %15\n\t"
            "pushfl\n\tpopl %16"
            : "=m"(c[0]), "=m"(c[1]), "=m"(c[2]), "=m"(c[3]), "=m"(c[4]), "=m"(c[5]), "=m"(c[6]), "=m"(c[7]),
              "=m"(c[8]), "=m"(c[9]), "=m"(c[10]), "=m"(c[11]), "=m"(c[12]), "=m"(c[13]), "=m"(c[14]),
              "=m"(c[15]), "=r"(f)
            : "r"(a), "r"(b) : "cc");
    uint32_t m = 0;
    for (int i = 0; i < 16; i++) m |= (uint32_t)(c[i] & 1) << i;
    *flags = f;
    return m;
}

/* The same mask derived from EFLAGS with the architectural condition formulas. */
static uint32_t conditions_from_flags(uint32_t f) {
    int cf = !!(f & EFLAGS_CF), zf = !!(f & EFLAGS_ZF), sf = !!(f & EFLAGS_SF), of = !!(f & EFLAGS_OF),
        pf = !!(f & EFLAGS_PF);
    int base[8] = { of, cf, zf, cf | zf, sf, pf, sf != of, zf | (sf != of) };
    uint32_t m = 0;
    for (int i = 0; i < 8; i++) m |= (uint32_t)base[i] << (2 * i) | (uint32_t)!base[i] << (2 * i + 1);
    return m;
}

static void check_conditions(void) {
    uint32_t f;
    rt_section("cond");
    /* -1 vs 1: result 0xFFFFFFFE, CF 0 SF 1 OF 0 ZF 0 PF 0 -> NO AE NE A S NP L LE */
    CHECK_EQ(25, setcc_mask(OPAQUE(0xFFFFFFFFu), 1, &f), 0x59AAu);
    CHECK_EQ(26, conditions_from_flags(f), 0x59AAu);
    /* 0x80000000 vs 1: result 0x7FFFFFFF, OF 1 PF 1 -> O AE NE A NS P L LE */
    CHECK_EQ(27, setcc_mask(OPAQUE(0x80000000u), 1, &f), 0x56A9u);
    CHECK_EQ(28, conditions_from_flags(f), 0x56A9u);

    uint32_t x = OPAQUE(0xFFFFFFFFu), y = OPAQUE(1u), lt = 0, below = 0;
    __asm__("cmpl %3, %2\n\tcmovll %4, %0\n\tcmovbl %4, %1" : "+&r"(lt), "+&r"(below) : "r"(x), "r"(y), "r"(0x77u) : "cc");
    CHECK_EQ(29, (lt << 8) | below, 0x7700u);   /* signed -1 < 1 moves, unsigned 0xFFFFFFFF < 1 does not */
    rt_ok();
}

/* ---- atomics ------------------------------------------------------------------------------------ */

static void check_atomics(void) {
    static volatile uint32_t m32;
    static volatile uint64_t m64 __attribute__((aligned(8)));
    uint32_t r, f;
    rt_section("atomic");

    m32 = 0x1111;
    r = OPAQUE(0x2222u);
    __asm__ volatile("xchgl %0, %1" : "+r"(r), "+m"(m32));
    CHECK_EQ(30, (r << 16) | m32, 0x11112222u);

    m32 = 5;
    r = 5;
    __asm__ volatile("lock cmpxchgl %3, %1\n\tpushfl\n\tpopl %2" : "+a"(r), "+m"(m32), "=r"(f) : "r"(9u) : "cc");
    CHECK_EQ(31, m32, 9);
    CHECK_EQ(32, f & EFLAGS_ZF, EFLAGS_ZF);
    r = 5;
    __asm__ volatile("lock cmpxchgl %3, %1\n\tpushfl\n\tpopl %2" : "+a"(r), "+m"(m32), "=r"(f) : "r"(7u) : "cc");
    CHECK_EQ(33, (r << 8) | m32, (9u << 8) | 9u);   /* failed: EAX gets the memory value, memory unchanged */
    CHECK_EQ(34, f & EFLAGS_ZF, 0);

    m64 = 0x1111111122222222ull;
    uint32_t lo = 0x22222222u, hi = 0x11111111u;
    __asm__ volatile("lock cmpxchg8b %2\n\tpushfl\n\tpopl %3" : "+a"(lo), "+d"(hi), "+m"(m64), "=r"(f)
                     : "b"(0xBBBBBBBBu), "c"(0xCCCCCCCCu) : "cc");
    CHECK_EQ(35, m64, 0xCCCCCCCCBBBBBBBBull);
    CHECK_EQ(36, f & EFLAGS_ZF, EFLAGS_ZF);
    lo = 1; hi = 2;
    __asm__ volatile("lock cmpxchg8b %2\n\tpushfl\n\tpopl %3" : "+a"(lo), "+d"(hi), "+m"(m64), "=r"(f)
                     : "b"(0u), "c"(0u) : "cc");
    CHECK_EQ(37, ((uint64_t)hi << 32) | lo, 0xCCCCCCCCBBBBBBBBull);   /* failed: EDX:EAX = memory */
    CHECK_EQ(38, m64 ^ (f & EFLAGS_ZF), 0xCCCCCCCCBBBBBBBBull);

    m32 = 10;
    r = 5;
    __asm__ volatile("lock xaddl %0, %1\n\tlock addl $100, %1" : "+r"(r), "+m"(m32) : : "cc");
    CHECK_EQ(39, (r << 16) | m32, (10u << 16) | 115u);
    rt_ok();
}

/* ---- strings ------------------------------------------------------------------------------------ */

static void check_strings(void) {
    static uint32_t a[64], b[64];
    rt_section("string");
    for (int i = 0; i < 64; i++) a[i] = 0x01010101u * (uint32_t)i;

    void *si = a, *di = b;
    uint32_t cx = 64;
    __asm__ volatile("cld\n\trep movsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ(40, cx, 0);
    CHECK_EQ(41, (uintptr_t)di - (uintptr_t)b, 256);
    CHECK_EQ(42, b[63], 0x3F3F3F3Fu);

    di = &b[8];
    cx = 4;
    __asm__ volatile("rep stosl" : "+D"(di), "+c"(cx) : "a"(0xCAFEF00Du) : "memory");
    CHECK_EQ(43, b[11] ^ b[12], 0xCAFEF00Du ^ 0x0C0C0C0Cu);   /* b[12] untouched */

    si = a; di = b; cx = 64;
    __asm__ volatile("repe cmpsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory", "cc");
    CHECK_EQ(44, cx, 64 - 9);                      /* stopped after element 8, the first difference */

    di = a; cx = 64;
    __asm__ volatile("repne scasl" : "+D"(di), "+c"(cx) : "a"(0x21212121u) : "memory", "cc");
    CHECK_EQ(45, (uintptr_t)di - (uintptr_t)a, 4 * 0x22);

    char *t = (char *)b;
    for (int i = 0; i < 8; i++) t[i] = (char)('a' + i);
    si = t + 5; di = t + 7; cx = 6;                /* overlapping move up by two, backwards */
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK(46, memcmp(t, "ababcdef", 8) == 0);
    rt_ok();
}

/* ---- paging ------------------------------------------------------------------------------------- */

#define PTE_P 0x001u
#define PTE_W 0x002u
#define FAULT_AREA   0x40000000u          /* PD[256..]: not present until the #PF handler maps it */
#define ALIAS_AREA   0x00800000u          /* PD[2]: a page table with one alias entry */

static uint32_t page_dir[1024] __attribute__((aligned(4096)));
static uint32_t low_pt[2][1024] __attribute__((aligned(4096)));    /* identity 0-8 MiB */
static uint32_t alias_pt[1024] __attribute__((aligned(4096)));
static uint32_t fault_pt[1024] __attribute__((aligned(4096)));
static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_c[4096] __attribute__((aligned(4096)));
static uint8_t ro_page[4096] __attribute__((aligned(4096)));

static volatile uint32_t pf_count, pf_cr2, pf_error;

static void page_fault(struct rt_frame *f) {
    uint32_t cr2 = (uint32_t)read_cr2();
    pf_count++;
    pf_cr2 = cr2;
    pf_error = f->error;
    uint32_t page = cr2 & ~0xFFFu;
    if (page == FAULT_AREA || page == FAULT_AREA + 0x400000u) {
        /* map the whole 4 MiB slot with fault_pt; entry 0 -> page_b (first) or page_c (second slot) */
        uint32_t slot = cr2 >> 22;
        fault_pt[0] = (uint32_t)(uintptr_t)(slot == 256 ? page_b : page_c) | PTE_P | PTE_W;
        page_dir[slot] = (uint32_t)(uintptr_t)fault_pt | PTE_P | PTE_W;
        invlpg(cr2);
    } else if (page == (uint32_t)(uintptr_t)ro_page && (f->error & 3) == 3) {
        low_pt[0][page >> 12] |= PTE_W;
        invlpg(cr2);
    } else {
        rt_puts("\nunexpected #PF at ");
        rt_puthex(cr2, 8);
        rt_exit(EXIT_UNEXPECTED);
    }
}

static void check_paging(void) {
    rt_section("paging");
    for (uint32_t i = 0; i < 2048; i++) low_pt[i >> 10][i & 1023] = (i << 12) | PTE_P | PTE_W;
    page_dir[0] = (uint32_t)(uintptr_t)low_pt[0] | PTE_P | PTE_W;
    page_dir[1] = (uint32_t)(uintptr_t)low_pt[1] | PTE_P | PTE_W;
    alias_pt[5] = (uint32_t)(uintptr_t)page_a | PTE_P | PTE_W;
    page_dir[ALIAS_AREA >> 22] = (uint32_t)(uintptr_t)alias_pt | PTE_P | PTE_W;
    low_pt[0][(uintptr_t)ro_page >> 12] &= ~PTE_W;
    rt_set_handler(14, page_fault, 0);

    write_cr3((uintptr_t)page_dir);
    write_cr0(read_cr0() | CR0_PG | CR0_WP);
    CHECK_EQ(50, read_cr0() & (CR0_PG | CR0_WP | CR0_PE), CR0_PG | CR0_WP | CR0_PE);
    static volatile uint32_t marker = 0x5EED;
    CHECK_EQ(51, marker, 0x5EED);                  /* identity mapping still reaches our data */

    volatile uint32_t *alias = (volatile uint32_t *)(ALIAS_AREA + 5 * 4096 + 0x40);
    *alias = 0xA11A5u;
    CHECK_EQ(52, *(volatile uint32_t *)(page_a + 0x40), 0xA11A5u);

    /* write to a not-present page: #PF with W=1, P=0, U=0; handler maps it; the write is retried */
    volatile uint32_t *fa = (volatile uint32_t *)(FAULT_AREA + 0x124);
    *fa = 0xF00DF00Du;
    CHECK_EQ(53, pf_count, 1);
    CHECK_EQ(54, pf_cr2, FAULT_AREA + 0x124);
    CHECK_EQ(55, pf_error, 0x2);
    CHECK_EQ(56, *(volatile uint32_t *)(page_b + 0x124), 0xF00DF00Du);

    /* read from a not-present page: error code 0 */
    *(volatile uint32_t *)(page_c + 0x10) = 0x0C0FFEE0u;
    uint32_t v = *(volatile uint32_t *)(FAULT_AREA + 0x400000u + 0x10);
    CHECK_EQ(57, pf_count, 2);
    CHECK_EQ(58, pf_error, 0x0);
    CHECK_EQ(59, v, 0x0C0FFEE0u);

    /* supervisor write to a read-only page with CR0.WP: error code P|W */
    *(volatile uint32_t *)(ro_page + 8) = 0x600Du;
    CHECK_EQ(60, pf_count, 3);
    CHECK_EQ(61, pf_cr2, (uintptr_t)ro_page + 8);
    CHECK_EQ(62, pf_error, 0x3);
    CHECK_EQ(63, *(volatile uint32_t *)(ro_page + 8), 0x600Du);
    rt_ok();
}

/* ---- traps -------------------------------------------------------------------------------------- */

extern char de_site[], de_resume[], ud_site[];
static volatile uint32_t de_count, de_ip, ud_count, ud_ip, int_count;

static void divide_error(struct rt_frame *f) {
    de_count++;
    de_ip = f->ip;
    f->ip = (uint32_t)(uintptr_t)de_resume;
}

static void invalid_opcode(struct rt_frame *f) {
    ud_count++;
    ud_ip = f->ip;
    f->ip += 2;                                    /* length of UD2 */
}

static void soft_int(struct rt_frame *f) {
    int_count++;
    f->eax = f->eax * 3 + 1;
}

static void check_traps(void) {
    rt_section("traps");
    rt_set_handler(0, divide_error, 0);
    rt_set_handler(6, invalid_opcode, 0);
    rt_set_handler(0x30, soft_int, 0);
    uint32_t a = 1234, d = 0;
    __asm__ volatile(".globl de_site, de_resume\n"
                     "de_site: divl %2\n\t"
                     "movl $0xBAD, %0\n"          /* skipped: the handler resumes at de_resume */
                     "de_resume:"
                     : "+a"(a), "+d"(d) : "r"(OPAQUE(0u)) : "cc");
    CHECK_EQ(65, de_count, 1);
    CHECK_EQ(66, de_ip, (uintptr_t)de_site);
    CHECK_EQ(67, a, 1234);
    __asm__ volatile(".globl ud_site\nud_site: ud2");
    CHECK_EQ(68, ud_count, 1);
    CHECK_EQ(69, ud_ip, (uintptr_t)ud_site);
    uint32_t x = 100;
    __asm__ volatile("int $0x30" : "+a"(x));
    CHECK_EQ(70, x, 301);
    CHECK_EQ(71, int_count, 1);
    rt_ok();
}

/* ---- cpuid -------------------------------------------------------------------------------------- */

static void check_cpuid(void) {
    uint32_t r[4];
    char vendor[13];
    rt_section("cpuid");
    cpuid(0, 0, r);
    CHECK_VAL(75, r[0] >= 1, r[0]);
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    int printable = 1;
    for (int i = 0; i < 12; i++) printable &= vendor[i] >= 0x20 && vendor[i] < 0x7F;
    CHECK(76, printable && vendor[0] != ' ');
    rt_puts(vendor);
    rt_putc(' ');
    cpuid(1, 0, r);
    CHECK_VAL(77, ((r[0] >> 8) & 0xF) != 0, r[0]);           /* family */
    CHECK_VAL(78, (r[3] & (1u << 8)) != 0, r[3]);            /* CX8, used above */
    rt_ok();
}

int guest_main(void) {
    rt_puts("pm32 guest\n");
    check_arith();
    check_conditions();
    check_atomics();
    check_strings();
    check_cpuid();
    /* Last: they need IRET in 32-bit protected mode, which KVM's instruction emulator (running all CPL0
       code on PVM hosts) cannot do; PVM also refuses 32-bit paging. See guests/README.md. */
    check_traps();
    check_paging();
    return EXIT_PASS;
}
