/*
 * cpl3 / cpl3-bench: long mode with a CPL3 part. CPL0 sets up a TSS (RSP0), user pages, SYSCALL
 * (STAR/LSTAR/SFMASK) and an INT 0x80 gate with DPL 3, then IRETQ to user_main at CPL3 (user.c), which
 * probes a supervisor page, executes HLT, runs the workload, reports the checksum with a trap call (UD2,
 * see cpl3.h), then (cpl3 only) pings through INT 0x80 and SYSCALL/SYSRET, and ends with a trap call.
 * Checks (all evaluated at CPL0):
 *   1-2   TSS loaded (STR), EFER.SCE
 *   3-6   CPL3 load from a supervisor page: one #PF, error code P|U (0x5), CR2, faulting CS is CPL3
 *   7-8   HLT at CPL3: #GP(0) at the HLT
 *   15-16 workload checksum: equal to CPL0's own recomputation (cpl3 only) and to the build-time value
 *   17    trap calls arrive from CPL3 on the TSS RSP0 stack
 *   12-14 (cpl3 only) INT 0x80 from CPL3: result, stacked CS/SS, handler on the RSP0 stack; 12 also fails
 *         at once if the INT 0x80 raised #UD instead
 *   9-11  (cpl3 only) SYSCALL/SYSRET round trip: result, user RIP/RFLAGS seen by the entry, CS after
 *         SYSRET; 9 also fails at once if the SYSCALL entry point faulted at CPL3
 */
#include "rt.h"
#include "x86.h"
#include "cpl3.h"
#include "workload_expect.h"

#define USER_CS 0x3B
#define USER_SS 0x33
#define TSS_SEL 0x40

#ifdef CPL3_BENCH
#define EXPECTED CPL3_BENCH_EXPECTED
#else
#define EXPECTED CPL3_EXPECTED
#endif

struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
};

extern uint64_t rt_gdt_tss[2];
extern uint64_t rt_pd[];
extern char syscall_entry[];

static struct tss64 tss __attribute__((aligned(16)));
static uint8_t rsp0_stack[8192] __attribute__((aligned(16)));

static volatile uint64_t pf_count, pf_error, pf_cr2, pf_cs;
static volatile uint64_t gp_count, gp_error, gp_ip;
static volatile uint64_t sys_user_rip, sys_user_rflags;
static volatile uint64_t int80_cs, int80_ss, int80_rsp;

static void load_tss(void) {
    uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
    tss.rsp[0] = (uintptr_t)(rsp0_stack + sizeof(rsp0_stack));
    tss.iomap_base = sizeof(tss);                       /* no I/O permission bitmap */
    rt_gdt_tss[0] = (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 | 0x89ull << 40   /* present, 64-bit TSS */
                  | ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
    rt_gdt_tss[1] = base >> 32;
    __asm__ volatile("ltr %w0" : : "r"(TSS_SEL));
}

static void page_fault(struct rt_frame *f) {
    pf_count++;
    pf_error = f->error;
    pf_cr2 = read_cr2();
    pf_cs = f->cs;
    if ((f->cs & 3) == 3 && f->ip == (uintptr_t)syscall_entry)
        rt_fail(9, "SYSCALL entry point fetched at CPL3 (#PF): SYSCALL did not switch to CPL0");
    if ((f->cs & 3) != 3 || f->ip != (uintptr_t)user_probe_site) {
        rt_puts("\nunexpected #PF at ");
        rt_puthex(f->cs, 4);
        rt_putc(':');
        rt_puthex(f->ip, 16);
        rt_puts(" error ");
        rt_puthex(f->error, 4);
        rt_puts(" cr2 ");
        rt_puthex(pf_cr2, 16);
        rt_putc('\n');
        rt_exit(EXIT_UNEXPECTED);
    }
    f->ip = (uintptr_t)user_probe_resume;
}

static void general_protection(struct rt_frame *f) {
    gp_count++;
    gp_error = f->error;
    gp_ip = f->ip;
    if ((f->cs & 3) != 3 || f->ip != (uintptr_t)user_hlt_site) {
        rt_puts("\nunexpected #GP at ");
        rt_puthex(f->cs, 4);
        rt_putc(':');
        rt_puthex(f->ip, 16);
        rt_puts(" error ");
        rt_puthex(f->error, 4);
        rt_putc('\n');
        rt_exit(EXIT_UNEXPECTED);
    }
    f->ip += 1;                                         /* length of HLT */
}

static void check_result(uint64_t result);
static void finish(void);

static void int80(struct rt_frame *f) {
    uint64_t rsp;
    __asm__ volatile("movq %%rsp, %0" : "=r"(rsp));
    int80_cs = f->cs;
    int80_ss = f->ss;
    int80_rsp = rsp;
    f->rax = f->rax == SYS_PING ? f->rdi + 1 : ~0ull;
}

/* #UD: a trap call when it is a UD2 at CPL3 in the user part. */
static void trap_call(struct rt_frame *f) {
    const uint8_t *insn = (const uint8_t *)(uintptr_t)f->ip;
    int user = (f->cs & 3) == 3 && f->ip >= 0x400000 && f->ip < 0x600000;
    if (user && insn[0] == 0xCD && insn[1] == 0x80)
        rt_fail(12, "INT 0x80 from CPL3 raised #UD instead of reaching its DPL 3 gate");
    if (!user || insn[0] != 0x0F || insn[1] != 0x0B) {
        rt_puts("\nunexpected #UD at ");
        rt_puthex(f->cs, 4);
        rt_putc(':');
        rt_puthex(f->ip, 16);
        rt_putc('\n');
        rt_exit(EXIT_UNEXPECTED);
    }
    uint64_t rsp;
    __asm__ volatile("movq %%rsp, %0" : "=r"(rsp));
    CHECK(17, rsp > (uintptr_t)rsp0_stack && rsp < (uintptr_t)rsp0_stack + sizeof(rsp0_stack));
    f->ip += 2;
    if (f->rax == SYS_RESULT) {
        check_result(f->rdi);
    } else if (f->rax == SYS_DONE) {
        finish();
    } else {
        rt_puts("\nunknown trap call ");
        rt_puthex(f->rax, 16);
        rt_exit(EXIT_UNEXPECTED);
    }
}

/* The workload again, with a branching LFSR step instead of the branch-free one. */
static uint32_t workload_branching(uint32_t *buf, uint32_t words, uint32_t passes, uint32_t seed) {
    uint32_t x = seed, sum = 0;
    for (uint32_t i = 0; i < words; i++) buf[i] = i * 0x9E3779B9u;
    for (uint32_t p = 0; p < passes; p++) {
        for (uint32_t i = 0; i < words; i++) {
            if (x & 1) x = (x >> 1) ^ WORKLOAD_POLY;
            else x >>= 1;
            buf[i] ^= x;
            uint32_t rotated;
            __asm__("roll $5, %0" : "=r"(rotated) : "0"(sum));
            sum = (rotated ^ buf[i]) + p;
        }
    }
    return sum ^ x;
}

static void check_result(uint64_t result) {
    rt_ok();
    rt_section("check");
    CHECK_EQ(3, pf_count, 1);
    CHECK_EQ(4, pf_error, 0x5);                         /* present | user, read */
    CHECK_EQ(5, pf_cr2, 0x100000);
    CHECK_EQ(6, pf_cs, USER_CS);
    CHECK_EQ(7, gp_count ^ gp_error, 1);                /* one #GP, error code 0 */
    CHECK_EQ(8, gp_ip, (uintptr_t)user_hlt_site);
    rt_puts("checksum ");
    rt_puthex(result, 8);
    rt_putc(' ');
#ifndef CPL3_BENCH
    static uint32_t kbuf[CPL3_WORDS];
    CHECK_EQ(15, workload_branching(kbuf, USER_WORDS, USER_PASSES, WORKLOAD_SEED), result);
#else
    (void)workload_branching;
#endif
    CHECK_EQ(16, result, EXPECTED);
    rt_ok();
}

static void finish(void) {
#ifndef CPL3_BENCH
    rt_section("int80");
    CHECK_EQ(12, user_report.ping_int80, 1001);
    CHECK_EQ(13, int80_cs << 8 | int80_ss, USER_CS << 8 | USER_SS);
    CHECK(14, int80_rsp > (uintptr_t)rsp0_stack && int80_rsp < (uintptr_t)rsp0_stack + sizeof(rsp0_stack));
    rt_ok();
    rt_section("syscall");
    CHECK_EQ(9, user_report.ping_sysret, 42);
    CHECK(10, sys_user_rip >= 0x400000 && sys_user_rip < 0x600000 && (sys_user_rflags & EFLAGS_IF));
    CHECK_EQ(11, user_report.cs_after_sysret, USER_CS);
    rt_ok();
#endif
    rt_exit(EXIT_PASS);
}

uint64_t syscall_dispatch(uint64_t nr, uint64_t a0, uint64_t user_rip, uint64_t user_rflags) {
    sys_user_rip = user_rip;
    sys_user_rflags = user_rflags;
    if (nr == SYS_PING) return a0 + 1;
    rt_puts("\nunknown syscall ");
    rt_puthex(nr, 16);
    rt_exit(EXIT_UNEXPECTED);
}

int guest_main(void) {
    rt_puts(USER_PASSES == CPL3_PASSES ? "cpl3 guest\n" : "cpl3-bench guest\n");
    rt_section("setup");
    load_tss();
    uint16_t tr;
    __asm__ volatile("str %0" : "=r"(tr));
    CHECK_EQ(1, tr, TSS_SEL);
    rt_pd[2] |= 0x4;                                    /* 4-6 MiB: the user part (U on every level) */
    write_cr3(read_cr3());
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    CHECK_EQ(2, rdmsr(MSR_EFER) & EFER_SCE, EFER_SCE);
    wrmsr(MSR_STAR, 0x0028ull << 48 | 0x0018ull << 32);  /* SYSRET: CS 0x38|3, SS 0x30|3; SYSCALL: CS 0x18 */
    wrmsr(MSR_LSTAR, (uintptr_t)syscall_entry);
    wrmsr(MSR_SFMASK, EFLAGS_IF | EFLAGS_DF | 0x100 /* TF */ | 0x40000 /* AC */);
    rt_set_handler(14, page_fault, 0);
    rt_set_handler(13, general_protection, 0);
    rt_set_handler(6, trap_call, 0);
    rt_set_handler(0x80, int80, 3);
    rt_ok();

    rt_section("user");
    rt_puts("passes ");
    rt_putdec(USER_PASSES);
    rt_putc(' ');
    uint64_t user_rsp = (uintptr_t)(user_stack + sizeof(user_stack)) - 8;   /* as if called */
    __asm__ volatile("pushq %0\n\tpushq %1\n\tpushq $0x202\n\tpushq %2\n\tpushq %3\n\tiretq"
                     : : "i"(USER_SS), "r"(user_rsp), "i"(USER_CS), "r"((uintptr_t)user_main),
                         "D"((uint64_t)USER_WORDS), "S"((uint64_t)USER_PASSES)
                     : "memory");
    __builtin_unreachable();
}
