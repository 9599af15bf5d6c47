/*
 * The CPL3 part of the cpl3 guests: code and data live in the user-accessible 2 MiB page at 4 MiB
 * (sections .user.*, see lib/guest.ld). Reports what it saw in user_report for the kernel to check.
 * Order: supervisor-page probe, HLT, workload, SYS_RESULT, then (not in cpl3-bench) INT 0x80 ping and
 * SYSCALL ping, SYS_DONE.
 */
#include <stdint.h>
#include "cpl3.h"

#define USER_TEXT __attribute__((section(".user.text"), noinline))
#define USER_DATA __attribute__((section(".user.data")))

USER_DATA struct user_report user_report;
USER_DATA uint32_t user_buf[USER_BUF_WORDS] __attribute__((aligned(64)));
USER_DATA uint8_t user_stack[16384] __attribute__((aligned(16)));

static inline __attribute__((always_inline)) uint64_t sys(uint64_t nr, uint64_t a0) {
    uint64_t r;
    __asm__ volatile("syscall" : "=a"(r), "+D"(a0) : "a"(nr)
                     : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "memory");
    return r;
}

static inline __attribute__((always_inline)) uint64_t int80(uint64_t nr, uint64_t a0) {
    uint64_t r = nr;
    __asm__ volatile("int $0x80" : "+a"(r) : "D"(a0) : "memory");
    return r;
}

static inline __attribute__((always_inline)) uint64_t trap_call(uint64_t nr, uint64_t a0) {
    uint64_t r = nr;
    __asm__ volatile("ud2" : "+a"(r) : "D"(a0) : "memory");
    return r;
}

/* Entered by IRETQ at CPL3 with rdi = words, rsi = passes. Never returns: SYS_DONE exits the guest. */
USER_TEXT void user_main(uint64_t words, uint64_t passes) {
    /* a load from a supervisor page (the kernel at 1 MiB): #PF, the kernel resumes at the label */
    __asm__ volatile(".globl user_probe_site, user_probe_resume\n"
                     "user_probe_site: movq 0x100000, %%rax\n"
                     "user_probe_resume:" ::: "rax", "memory");
    /* a privileged instruction: #GP(0), resumed after it */
    __asm__ volatile(".globl user_hlt_site\nuser_hlt_site: hlt" ::: "memory");

    user_report.result = workload_run(user_buf, (uint32_t)words, (uint32_t)passes, WORKLOAD_SEED);
    trap_call(SYS_RESULT, user_report.result);

#ifndef CPL3_BENCH
    /* INT 0x80 and SYSCALL last: PVM hosts do not deliver them to a non-PVM guest kernel (README.md) */
    user_report.ping_int80 = int80(SYS_PING, 1000);
    user_report.ping_sysret = sys(SYS_PING, 41);
    uint64_t cs;
    __asm__ volatile("movq %%cs, %0" : "=r"(cs));
    user_report.cs_after_sysret = cs;
#endif
    trap_call(SYS_DONE, 0);
    for (;;) {
    }
}
