/* Interface between the CPL0 and CPL3 halves of the cpl3 guests. */
#ifndef GUESTS_CPL3_H
#define GUESTS_CPL3_H

#include <stdint.h>
#define WORKLOAD_IN_GUEST 1
#include "../common/workload.h"

#ifdef CPL3_BENCH
#define USER_WORDS  CPL3_BENCH_WORDS
#define USER_PASSES CPL3_BENCH_PASSES
#else
#define USER_WORDS  CPL3_WORDS
#define USER_PASSES CPL3_PASSES
#endif
#define USER_BUF_WORDS CPL3_BENCH_WORDS

/*
 * Calls from CPL3: number in RAX, argument in RDI, result in RAX; through SYSCALL, INT 0x80, or a
 * "trap call" (UD2, whose #UD handler at CPL0 serves the call and resumes after it: exceptions are the
 * one CPL3 -> CPL0 path that also works for non-PVM guests on PVM hosts).
 */
#define SYS_PING   0    /* returns a0 + 1 */
#define SYS_RESULT 1    /* trap call, a0 = workload checksum: the kernel checks it and everything before */
#define SYS_DONE   2    /* trap call: the kernel checks the INT 0x80 and SYSCALL round trips and exits */

struct user_report {
    uint64_t ping_sysret, cs_after_sysret, ping_int80, result;
};

extern struct user_report user_report;
extern uint32_t user_buf[USER_BUF_WORDS];
extern uint8_t user_stack[16384];
extern char user_probe_site[], user_probe_resume[], user_hlt_site[];
void user_main(uint64_t words, uint64_t passes);

#endif
